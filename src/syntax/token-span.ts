/**
 * Chevrotain tokens → spans. Chevrotain's end offsets are inclusive and tokens that recovery
 * inserts (or EOF) have no position: those fall back to the end of the previous real token.
 */
import type { IToken } from "chevrotain";
import type { SourceFile, Span } from "../diagnostics/span.js";

export function hasPosition(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset) && token.startOffset >= 0;
}

export function tokenSpan(source: SourceFile, token: IToken, previous?: IToken): Span {
  if (hasPosition(token)) return source.span(token.startOffset, (token.endOffset ?? token.startOffset) + 1);
  if (previous && hasPosition(previous)) {
    const end = (previous.endOffset ?? previous.startOffset) + 1;
    return source.span(end, end);
  }
  return source.span(source.text.length, source.text.length);
}

/** From the start of `first` to the end of `last`. */
export function tokensSpan(source: SourceFile, first: IToken, last: IToken): Span {
  const start = tokenSpan(source, first);
  const end = tokenSpan(source, last, first);
  return { file: source.name, start: start.start, end: end.end.offset >= start.start.offset ? end.end : start.end };
}
