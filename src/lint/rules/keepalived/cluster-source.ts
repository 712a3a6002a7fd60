/**
 * What several Keepalived rules need from the `cluster` block beyond the model: the exact place of a
 * value inside a `vip` or `track` statement (`dev eth1`, `timeout 5s`), found in the AST.
 */
import type { Arg, Directive } from "../../../ast/nodes.js";
import type { Span } from "../../../diagnostics/span.js";
import type { LintedSpec } from "../../linted-spec.js";
import { sectionAt } from "../../queries.js";

/** The cluster statement that starts where SPAN starts (a model `vip` or `track` span). */
export function clusterDirectiveAt(spec: LintedSpec, span: Span): Directive | undefined {
  const cluster = spec.model.cluster;
  if (!cluster) return undefined;
  const section = sectionAt(spec, cluster.span);
  return section?.body.find(
    (s): s is Directive => s.kind === "Directive" && s.span.file === span.file && s.span.start.offset === span.start.offset,
  );
}

/**
 * The value after KEY in a statement made of KEY VALUE pairs from index FIRST on (`vip ADDR dev X
 * label Y`: first 1; `track haproxy every 2s …`: first 1). The last one wins, as in the analyzer.
 */
export function optionValue(directive: Directive | undefined, key: string, first: number): Arg | undefined {
  if (!directive) return undefined;
  let found: Arg | undefined;
  for (let i = first; i + 1 < directive.args.length; i += 2) {
    const arg = directive.args[i]!;
    if (arg.kind === "word" && arg.text === key) found = directive.args[i + 1];
  }
  return found;
}

/** The address argument of a `vip` statement (the statement itself when not found). */
export function vipAddressSpan(spec: LintedSpec, vipSpan: Span): Span {
  return clusterDirectiveAt(spec, vipSpan)?.args[0]?.span ?? vipSpan;
}

/** The `dev IFACE` value of a `vip` statement (the statement itself when not found). */
export function vipDevSpan(spec: LintedSpec, vipSpan: Span): Span {
  return optionValue(clusterDirectiveAt(spec, vipSpan), "dev", 1)?.span ?? vipSpan;
}

/** `lo` and its aliases (`lo:1`): the loopback interface. */
export function isLoopbackInterface(name: string): boolean {
  return name === "lo" || name.startsWith("lo:");
}

/** `10.5s`: durations computed from several settings, to one decimal. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
