import type { ModelServer } from "../../../analyze/model.js";
import type { LintedSpec } from "../../linted-spec.js";
import { pools, proxyLabel, sentenceLabel, type PoolPair } from "../../queries.js";
import type { Finding, SpecRule } from "../../rule.js";
import { keyValueSpan } from "../../statements.js";

/**
 * A server HAProxy does not check is always "up": when it dies, its share of the traffic keeps
 * going to it and fails, while healthy servers stand by.
 */
export const serverWithoutHealthCheck: SpecRule = {
  meta: {
    id: "HAP003",
    name: "server-without-health-check",
    category: "haproxy",
    severity: "warning",
    summary: "Servers HAProxy never health-checks: a pool without `health`, or a server with `check off`.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      if (pool.model.servers.length === 0) continue;
      if (!pool.model.health) report(uncheckedPool(pool));
      else for (const server of pool.model.servers.filter((s) => s.checkOff && !s.disabled)) report(exemptServer(spec, pool, server));
    }
  },
};

function uncheckedPool(pool: PoolPair): Finding {
  return {
    span: pool.model.name.span,
    message: `${sentenceLabel(pool.model)} has no \`health\`, so its servers are never checked: a dead one stays in the rotation and its share of the traffic fails.`,
    notes: [{ message: pool.ir.mode === "http" ? "add `health http GET /health` (a path your servers answer with 2xx/3xx), or at least `health tcp`" : "add `health tcp` (or `health http …` if the servers speak HTTP)" }],
  };
}

function exemptServer(spec: LintedSpec, pool: PoolPair, server: ModelServer): Finding {
  return {
    span: keyValueSpan(spec, server.span, "check") ?? server.span,
    message: `Server \`${server.name.value}\` of ${proxyLabel(pool.model)} is exempt from the health check: if it dies, HAProxy keeps sending it ${server.backup ? "the traffic it falls back to" : "its share of the traffic"}.`,
    notes: [
      { message: "the block's health check", span: pool.model.health!.span },
      { message: "remove `check off`; if the server cannot answer the check, fix the check rather than exempting it" },
    ],
  };
}
