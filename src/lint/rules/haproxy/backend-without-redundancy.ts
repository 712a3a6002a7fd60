import { pools, sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { refusal, usableServers } from "./pools.js";
import { rawAddsServers } from "./raw-lines.js";

/**
 * One usable server is a single point of failure behind a redundant pair of load balancers: a
 * crash or a routine restart of that server is an outage. A `backup` server counts as redundancy;
 * `disabled` servers (in maintenance) and weight-0 servers (no load-balanced traffic) do not.
 */
export const backendWithoutRedundancy: SpecRule = {
  meta: {
    id: "HAP004",
    name: "backend-without-redundancy",
    category: "haproxy",
    severity: "warning",
    summary: "A backend or listen section that can send traffic to only one server.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      const usable = usableServers(pool);
      if (usable.length !== 1 || rawAddsServers(pool.model.raw)) continue;
      const only = usable[0]!;
      report({
        span: pool.model.name.span,
        message: `${sentenceLabel(pool.model)} has a single usable server, \`${only.name.value}\`: while it is down or restarting, ${refusal(pool)}.`,
        notes: [
          { message: "the only server that takes traffic", span: only.name.span },
          { message: "add a second server (a `backup` one is enough to fail over to)" },
        ],
      });
    }
  },
};
