import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { refusal } from "./pools.js";
import { rawAddsServers } from "./raw-lines.js";

/**
 * `disabled` starts a server in maintenance. When every server of a pool is, nothing serves it
 * until someone enables a server through the admin socket, on each node: after a failover or a
 * reload, the pool is down again.
 */
export const allServersDisabled: SpecRule = {
  meta: {
    id: "HAP005",
    name: "all-servers-disabled",
    category: "haproxy",
    severity: "error",
    summary: "A backend or listen section whose servers are all `disabled`.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      const servers = pool.model.servers;
      if (servers.length === 0 || servers.some((s) => !s.disabled) || rawAddsServers(pool.model.raw)) continue;
      report({
        span: pool.model.name.span,
        message: `Every server of ${proxyLabel(pool.model)} is \`disabled\`: they start in maintenance, and ${refusal(pool)} until one is enabled by hand on each node.`,
        notes: [
          ...servers.map((s) => ({ message: `\`${s.name.value}\` starts in maintenance`, span: s.span })),
          { message: "remove `disabled` from the servers that should take traffic" },
        ],
      });
    }
  },
};
