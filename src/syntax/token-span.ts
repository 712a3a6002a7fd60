/**
 * Chevrotain tokens → spans. The lexer tracks only offsets (line and column are derived from the
 * file's line starts when a span is made), so a token ends at `startOffset + image.length`. Tokens
 * that recovery inserts (or EOF) have no position: those fall back to the end of the previous real
 * token.
 */
import type { IToken } from "chevrotain";
import type { SourceFile, Span } from "../diagnostics/span.js";

export function hasPosition(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset) && token.startOffset >= 0;
}

/** The offset just past the token (exclusive). */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

export function tokenSpan(source: SourceFile, token: IToken, previous?: IToken): Span {
  if (hasPosition(token)) return source.span(token.startOffset, tokenEnd(token));
  if (previous && hasPosition(previous)) {
    const end = tokenEnd(previous);
    return source.span(end, end);
  }
  return source.span(source.text.length, source.text.length);
}

