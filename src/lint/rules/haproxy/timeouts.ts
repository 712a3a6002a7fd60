/** Which proxies take a timeout kind from `defaults` (or halb's fallback) rather than setting it themselves. */
import { timeoutSections } from "../../../analyze/sections/proxy-settings.js";
import type { TimeoutKind } from "../../../ir/types.js";
import type { LintedSpec } from "../../linted-spec.js";
import { proxies, type ProxyPair } from "../../queries.js";

/** Proxies where `kind` applies and that do not set it themselves, so `defaults` (or halb's fallback) decides. */
export function inheritors(spec: LintedSpec, kind: TimeoutKind): ProxyPair[] {
  return proxies(spec).filter((p) => timeoutSections[kind].includes(p.kind) && p.model.timeouts[kind] === undefined);
}

/** The `listen stats` section halb writes inherits the client-side timeouts of `defaults`. */
export function statsInherits(spec: LintedSpec, kind: TimeoutKind): boolean {
  return spec.model.stats !== null && (kind === "client" || kind === "http-request" || kind === "http-keep-alive");
}
