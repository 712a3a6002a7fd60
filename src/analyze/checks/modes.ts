/**
 * HTTP features need `mode http`: HAProxy ignores them in a TCP proxy with a warning, and refuses
 * to route between proxies of different modes. `option httplog` in a TCP proxy becomes tcplog in
 * lowering, as HAProxy itself would do, so it is not an error here.
 */
import { diag, q } from "../../diagnostics/create.js";
import type { Mode } from "../../ir/types.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelProxy, ModelSpec } from "../model.js";
import { optionInfo } from "../options.js";

export function effectiveMode(model: ModelSpec, proxy: ModelProxy): Mode {
  return proxy.mode?.value ?? model.defaults.mode?.value ?? "http";
}

export function checkModes(model: ModelSpec, ctx: AnalyzeContext): void {
  const pools = new Map([...model.backends, ...model.listens].map((p) => [p.name.value, p]));
  for (const proxy of [...model.frontends, ...model.backends, ...model.listens]) {
    const mode = effectiveMode(model, proxy);
    if (mode !== "tcp") continue;
    const where = `${proxy.kind} ${q(proxy.name.value)}`;
    for (const option of proxy.options) {
      if (option.value !== "httplog" && optionInfo(option.value)?.httpOnly) {
        ctx.diagnostics.push(diag("HAL2008", option.span, { what: q(`option ${option.value}`), proxy: where }));
      }
    }
    if (proxy.kind !== "frontend" && proxy.cookie) ctx.diagnostics.push(diag("HAL2008", proxy.cookie.span, { what: "`cookie`", proxy: where }));
    // Hashing the URI needs the HTTP request; HAProxy falls back to round robin with a warning.
    if (proxy.kind !== "frontend" && proxy.balance?.value === "uri") ctx.diagnostics.push(diag("HAL2008", proxy.balance.span, { what: "`balance uri`", proxy: where }));
    if (proxy.kind === "frontend") {
      for (const route of proxy.routes) ctx.diagnostics.push(diag("HAL2008", route.span, { what: "`route` (it reads the HTTP request)", proxy: where }));
    }
  }
  for (const frontend of model.frontends) {
    const frontendMode = effectiveMode(model, frontend);
    for (const reference of [...frontend.routes.map((r) => r.backend), ...(frontend.defaultBackend ? [frontend.defaultBackend] : [])]) {
      const pool = pools.get(reference.value);
      if (!pool) continue;
      const backendMode = effectiveMode(model, pool);
      if (backendMode !== frontendMode) {
        ctx.diagnostics.push(diag("HAL2018", reference.span, { frontend: `frontend ${q(frontend.name.value)}`, frontendMode, backend: `${pool.kind} ${q(pool.name.value)}`, backendMode }));
      }
    }
  }
}
