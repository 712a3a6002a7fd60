/**
 * One lexer instance for every file, built once; `ensureOptimizations` fails loudly rather than
 * falling back to the slow path. Tokens carry offsets only: lines and columns come from the file's
 * line starts when a span is made, which saves four fields on each of a large spec's tokens.
 */
import { Lexer, type ILexingResult } from "chevrotain";
import { allTokens } from "./tokens.js";

const lexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: "onlyOffset" });

export function lex(text: string): ILexingResult {
  return lexer.tokenize(text);
}
