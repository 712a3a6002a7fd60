/** Diagnostics are data: a stable code, a message, a span, and notes that carry the fix. */
import type { Span } from "./span.js";

export type Severity = "error" | "warning" | "info";

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  /** `HALnnnn` for compiler diagnostics. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence: what is wrong, with the offending value quoted. Never contains a secret. */
  readonly message: string;
  /** Absent only for problems that belong to no place in a file (I/O, flags). */
  readonly span?: Span;
  readonly notes?: readonly Note[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** File, then position, then code: the order a reader scans a report in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.span?.file ?? "";
    const fb = b.span?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.span?.start.offset ?? -1;
    const ob = b.span?.start.offset ?? -1;
    if (oa !== ob) return oa - ob;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
