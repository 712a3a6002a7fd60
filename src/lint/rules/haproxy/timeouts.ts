/** Which proxies a timeout kind applies to, and which of them take it from `defaults`. */
import type { Located, ProxyKind } from "../../../analyze/model.js";
import { joinSpans, type Span } from "../../../diagnostics/span.js";
import type { TimeoutKind } from "../../../ir/types.js";
import type { LintedSpec } from "../../linted-spec.js";
import { proxies, type ProxyPair } from "../../queries.js";

/** Where HAProxy uses each kind (elsewhere the compiler drops it with HAL2025). */
export const APPLIES_TO: Readonly<Record<TimeoutKind, readonly ProxyKind[]>> = {
  connect: ["backend", "listen"],
  server: ["backend", "listen"],
  check: ["backend", "listen"],
  queue: ["backend", "listen"],
  tunnel: ["backend", "listen"],
  client: ["frontend", "listen"],
  "http-request": ["frontend", "listen", "backend"],
  "http-keep-alive": ["frontend", "listen", "backend"],
};

/** Proxies where `kind` applies and that do not set it themselves, so `defaults` (or halb's fallback) decides. */
export function inheritors(spec: LintedSpec, kind: TimeoutKind): ProxyPair[] {
  return proxies(spec).filter((p) => APPLIES_TO[kind].includes(p.kind) && p.model.timeouts[kind] === undefined);
}

/** The `listen stats` section halb writes inherits the client-side timeouts of `defaults`. */
export function statsInherits(spec: LintedSpec, kind: TimeoutKind): boolean {
  return spec.model.stats !== null && (kind === "client" || kind === "http-request" || kind === "http-keep-alive");
}

/** `connect 5s` in `timeout connect 5s client 30s`: the kind the model points at, and its value. */
export function timeoutSpan(spec: LintedSpec, timeout: Located<number>): Span {
  for (const section of spec.loaded.sections) {
    for (const statement of section.body) {
      if (statement.kind !== "Directive" || statement.name !== "timeout") continue;
      const at = statement.args.findIndex((a) => a.span.file === timeout.span.file && a.span.start.offset === timeout.span.start.offset);
      const value = at < 0 ? undefined : statement.args[at + 1];
      if (value) return joinSpans(timeout.span, value.span);
    }
  }
  return timeout.span;
}
