import { listText, pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * `balance first` fills servers in order, moving on only when one reaches its `maxconn`. A server
 * without `maxconn` is never full: it takes every connection, and the active servers after it idle
 * until it fails. (The last server may lack `maxconn`: it takes the overflow.)
 */
export const balanceFirstWithoutMaxconn: SpecRule = {
  meta: {
    id: "HAP019",
    name: "balance-first-without-maxconn",
    category: "haproxy",
    severity: "warning",
    summary: "`balance first` with a server that has no `maxconn`, so the servers after it never get traffic.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      if (pool.ir.balance !== "first") continue;
      const active = pool.model.servers.filter((s) => !s.disabled && !s.backup);
      const at = active.findIndex((s) => s.maxconn === undefined);
      if (at < 0 || at === active.length - 1) continue;
      const unlimited = active[at]!;
      const idle = active.slice(at + 1).map((s) => `\`${s.name.value}\``);
      report({
        span: unlimited.name.span,
        message: `Server \`${unlimited.name.value}\` of ${proxyLabel(pool.model)} has no \`maxconn\`, so with \`balance first\` it takes every connection ${at === 0 ? "" : "the servers before it cannot take, "}and ${listText(idle)} ${idle.length === 1 ? "gets" : "get"} none until it fails.`,
        notes: [
          ...(pool.model.balance ? [{ message: "servers are filled in order here", span: pool.model.balance.span }] : []),
          { message: "give every server but the last a `maxconn N` (the connections it can take before the next one is used)" },
        ],
      });
    }
  },
};
