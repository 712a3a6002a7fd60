/** Text → AST with every syntax error the parser can find, each with a code, a span and a clear message. */
import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import { AstBuilder } from "../ast/build.js";
import type { HalFile } from "../ast/nodes.js";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";
import { lex } from "./lexer.js";
import { HalParser } from "./parser.js";
import { tokenSpan } from "./token-span.js";
import { LBrace, Newline, RBrace, Semicolon, UnterminatedString } from "./tokens.js";

/** One parser for the whole process: building it runs chevrotain's grammar analysis, which is the slow part. */
let parser: HalParser | undefined;

export function halParser(): HalParser {
  parser ??= new HalParser();
  return parser;
}

export interface ParsedFile {
  readonly source: SourceFile;
  readonly ast: HalFile;
  readonly comments: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

export function parseSource(source: SourceFile): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const lexed = lex(source.text);
  for (const error of lexed.errors) {
    const char = String.fromCodePoint(source.text.codePointAt(error.offset) ?? 0);
    diagnostics.push(diag("HAL1001", source.span(error.offset, error.offset + char.length), { text: describeChar(char) }));
  }
  for (const token of lexed.tokens) {
    if (token.tokenType === UnterminatedString) diagnostics.push(diag("HAL1002", tokenSpan(source, token)));
  }

  const builder = new AstBuilder(source);
  const { ast, errors } = halParser().parse(lexed.tokens, builder);
  for (const error of errors) diagnostics.push(describeParseError(source, error, lexed.tokens));
  diagnostics.push(...builder.diagnostics);

  return { source, ast, comments: lexed.groups["comments"] ?? [], diagnostics };
}

function describeParseError(source: SourceFile, error: IRecognitionException, tokens: readonly IToken[]): Diagnostic {
  const token = error.token;
  const previous = "previousToken" in error ? (error as { previousToken?: IToken }).previousToken : undefined;
  const span = tokenSpan(source, token, previous ?? tokens.at(-1));
  const found = describeToken(token);

  if (token.tokenType === EOF && expectsClosingBrace(error)) {
    return diag("HAL1004", span, { block: q(openBlockName(tokens) ?? "{") });
  }
  return diag("HAL1003", span, { expected: error.message, found });
}

function expectsClosingBrace(error: IRecognitionException): boolean {
  return error.message === "`}`" || error.context.ruleStack.includes("block");
}

/** The name of the innermost block still open at the end of the file, for "the block … is not closed". */
function openBlockName(tokens: readonly IToken[]): string | undefined {
  const open: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenType === LBrace) open.push(headOfLine(tokens, i));
    else if (token.tokenType === RBrace) open.pop();
  }
  return open.at(-1);
}

/** The words before the `{` at index `brace`, back to the start of its line: `backend www`. */
function headOfLine(tokens: readonly IToken[], brace: number): string {
  let first = brace;
  while (first > 0 && !isLineBreak(tokens[first - 1]!)) first--;
  return tokens.slice(first, brace).map((token) => token.image).join(" ") || "{";
}

function isLineBreak(token: IToken): boolean {
  return token.tokenType === Newline || token.tokenType === LBrace || token.tokenType === RBrace || token.tokenType === Semicolon;
}

/** `“` (U+201C), or just U+0000 for a character a terminal would not show. */
function describeChar(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) ? `${q(char)} (${code})` : code;
}

function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return "the end of the file";
  if (token.tokenType === Newline) return "the end of the line";
  return q(token.image);
}
