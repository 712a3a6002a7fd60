/** Interfaces in the `cluster` block: which names are loopback, and where a VIP's `dev` is written. */
import type { Span } from "../../../diagnostics/span.js";
import type { LintedSpec } from "../../linted-spec.js";
import { argAfter } from "../../statements.js";

/** `lo` and its aliases (`lo:1`): the loopback interface. */
export function isLoopbackInterface(name: string): boolean {
  return name === "lo" || name.startsWith("lo:");
}

/** The `dev IFACE` value of a `vip` statement (the statement itself when not found). */
export function vipDevSpan(spec: LintedSpec, vipSpan: Span): Span {
  return argAfter(spec, vipSpan, "dev")?.span ?? vipSpan;
}
