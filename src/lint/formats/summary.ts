/** How many findings of each severity: the last line of stylish, the `summary` of json. */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function countFindings(findings: readonly Diagnostic[]): Counts {
  const count = (severity: Diagnostic["severity"]) => findings.filter((f) => f.severity === severity).length;
  return { errors: count("error"), warnings: count("warning"), infos: count("info") };
}
