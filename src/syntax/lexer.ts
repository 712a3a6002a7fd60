/** One lexer instance for every file, built once; `ensureOptimizations` fails loudly rather than falling back to the slow path. */
import { Lexer, type ILexingResult } from "chevrotain";
import { allTokens } from "./tokens.js";

const lexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: "full" });

export function lex(text: string): ILexingResult {
  return lexer.tokenize(text);
}
