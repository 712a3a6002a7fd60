/**
 * A log format (`option httplog`/`tcplog`) only means something where the proxy logs somewhere:
 * its own `log` lines, else the defaults', with `log global` counting only when `global` has a
 * log address. Elsewhere HAProxy warns and ignores it; halb leaves it out and says so.
 */
import { diag, q } from "../../diagnostics/create.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelProxy, ModelSpec } from "../model.js";
import { isLogFormat } from "../options.js";

export function hasLogAddress(model: ModelSpec, proxy: ModelProxy): boolean {
  const logs = proxy.logs.length > 0 ? proxy.logs : model.defaults.logs;
  return logs.some((log) => !("global" in log) || model.global.logs.length > 0);
}

export function checkLogFormats(model: ModelSpec, ctx: AnalyzeContext): void {
  const defaultFormats = model.defaults.options.filter((o) => isLogFormat(o.value));
  const silentUnderDefaults: string[] = [];
  for (const proxy of [...model.frontends, ...model.listens]) {
    if (hasLogAddress(model, proxy)) continue;
    const own = proxy.options.filter((o) => isLogFormat(o.value));
    for (const option of own) ctx.diagnostics.push(diag("HAL2030", option.span, { option: option.value, proxy: `${proxy.kind} ${q(proxy.name.value)}` }));
    if (own.length === 0 && defaultFormats.length > 0) silentUnderDefaults.push(`${proxy.kind} ${q(proxy.name.value)}`);
  }
  for (const option of defaultFormats) {
    if (silentUnderDefaults.length > 0) ctx.diagnostics.push(diag("HAL2030", option.span, { option: option.value, proxy: silentUnderDefaults.join(", ") }));
  }
}
