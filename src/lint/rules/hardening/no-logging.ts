import type { IrLog } from "../../../ir/types.js";
import { listText, proxies, proxyLabel, STATS_PAGE } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { globalAnchor, rawHas } from "../../statements.js";

/**
 * `log global` in a proxy sends its logs to the targets of `global`; with none there, requests,
 * server state changes and failovers leave no trace, exactly when they are needed after an outage.
 */
export const noLogging: SpecRule = {
  meta: {
    id: "HAP028",
    name: "no-logging",
    category: "haproxy",
    severity: "info",
    summary: "`global` has no `log` target, so `log global` logs nowhere.",
  },
  scope: "spec",
  check({ spec, report }) {
    const { global, defaults } = spec.model;
    if (global.logs.length > 0 || rawHas(global.raw, "log")) return;
    const viaGlobal = proxies(spec)
      .map((p) => p.model)
      .filter((p) => logsViaGlobal(p.logs.length > 0 ? p.logs : defaults.logs))
      .map(proxyLabel);
    const statsLogs = spec.model.stats ? (spec.model.stats.logs.length > 0 ? spec.model.stats.logs : defaults.logs) : [];
    const stats = logsViaGlobal(statsLogs) ? [STATS_PAGE] : [];
    const silent = [...viaGlobal, ...stats];
    report({
      span: globalAnchor(spec),
      message:
        silent.length > 0
          ? `No \`log\` target in \`global\`, so \`log global\` in ${listText(silent)} sends nothing anywhere: requests, errors and servers going down leave no trace.`
          : "No `log` target in `global`: HAProxy's own messages, and any proxy that later says `log global`, leave no trace.",
      notes: [{ message: "add `log 127.0.0.1 local0 info` (or your syslog address) to `global`" }],
    });
  },
};

function logsViaGlobal(logs: readonly IrLog[]): boolean {
  return logs.some((log) => "global" in log);
}
