/**
 * What the parser says it expected, in the words a person would write. The provider returns only
 * the "expected" part; parse.ts wraps it into HAL1003 "Expected … but found …".
 */
import { EOF, type IParserErrorMessageProvider, type TokenType } from "chevrotain";
import { Arrow, LBrace, RBrace, Value } from "./tokens.js";

const byRule: Readonly<Record<string, string>> = {
  file: "a block such as `cluster NAME {`, `frontend NAME {` or `include \"FILE\"`",
  statement: "a statement",
  end: "the end of the statement (a newline or `;`)",
  route: "a condition such as `host www.example.com` or `path /api/`",
  section: "`{`",
};

function expectedToken(expected: TokenType, ruleName: string): string {
  if (expected === EOF) return byRule["file"]!;
  if (expected === Arrow) return "`->` and the backend to route to";
  if (expected === LBrace) return "`{`";
  if (expected === RBrace) return "`}`";
  if (expected === Value) return ruleName === "route" || ruleName === "defaultRoute" ? "a backend name" : "a value";
  return String(expected.LABEL ?? expected.name);
}

export const halErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => expectedToken(expected, ruleName),
  buildNotAllInputParsedMessage: () => byRule["file"]!,
  buildNoViableAltMessage: ({ ruleName }) => byRule[ruleName] ?? "a statement",
  buildEarlyExitMessage: ({ ruleName }) => byRule[ruleName] ?? "a value",
};
