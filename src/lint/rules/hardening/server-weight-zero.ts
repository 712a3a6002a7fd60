import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argAfter } from "../../statements.js";

/**
 * `weight 0` takes a server out of load balancing: it only gets clients that a cookie already
 * pins to it. Written on an active server, it usually means "drain" was meant to be temporary,
 * or `disabled` / `backup` was meant.
 */
export const serverWeightZero: SpecRule = {
  meta: {
    id: "HAP030",
    name: "server-weight-zero",
    category: "haproxy",
    severity: "warning",
    summary: "An enabled, non-backup server with `weight 0`, which gets no new traffic.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      for (const server of pool.model.servers) {
        if (server.weight !== 0 || server.disabled || server.backup) continue;
        const weight = argAfter(spec, server.span, "weight");
        report({
          span: weight?.span ?? server.span,
          message: `Server \`${server.name.value}\` in ${proxyLabel(pool.model)} has \`weight 0\`: the load balancer never sends it a new client, though it is up and health-checked.`,
          notes: [{ message: "give it a weight of 1 or more, or say what is meant: `backup` for a standby server, `disabled` for one in maintenance" }],
        });
      }
    }
  },
};
