/**
 * Source positions. This is the one place where bases are defined:
 * `offset` is a 0-based UTF-16 index, `line` and `column` are 1-based, and `end` is EXCLUSIVE.
 */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Span {
  /** The file as the user named it (relative to the working directory or the including file). */
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** A source text with its line starts, so offsets turn into line/column in O(log n). */
export class SourceFile {
  readonly lineStarts: readonly number[];

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { offset: clamped, line: lo + 1, column: clamped - this.lineStarts[lo]! + 1 };
  }

  span(startOffset: number, endOffset: number): Span {
    return new SourceSpan(this, startOffset, endOffset);
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, "");
  }
}

/**
 * A span of a SourceFile that works out its line and column only when asked. A large spec has a
 * span for every word, and few are ever shown: keeping two offsets instead of two Position
 * objects saves two thirds of the memory (and the garbage collector's time). It serializes like
 * a plain Span; spread `{ ...span }` does not copy the getters, so copy fields by name.
 */
class SourceSpan implements Span {
  constructor(
    private readonly source: SourceFile,
    private readonly startOffset: number,
    private readonly endOffset: number,
  ) {}

  get file(): string {
    return this.source.name;
  }

  get start(): Position {
    return this.source.position(this.startOffset);
  }

  get end(): Position {
    return this.source.position(this.endOffset);
  }

  toJSON(): { file: string; start: Position; end: Position } {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** The smallest span covering both. Both must come from the same file. */
export function joinSpans(a: Span, b: Span): Span {
  return {
    file: a.file,
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** `file:line:column`, the form editors and CI annotations understand. */
export function formatLocation(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}
