import { bindText, vipWithAddress } from "../../binds.js";
import type { SpecRule } from "../../rule.js";

/**
 * A stats page reached only through a VIP always shows the HAProxy of whichever node holds the
 * VIP. The backup's HAProxy, the one that must take over, can never be looked at before a
 * failover; a `node:PORT` bind gives each node its own page.
 */
export const statsOnVipOnly: SpecRule = {
  meta: {
    id: "PAIR017",
    name: "stats-on-vip-only",
    category: "pair",
    severity: "info",
    summary: "The stats page binds only VIPs: the backup's HAProxy can never be seen.",
  },
  scope: "spec",
  check({ spec, report }) {
    const stats = spec.model.stats;
    if (!stats || stats.binds.length === 0) return;
    const onVip = stats.binds.every(({ bind }) => bind.kind === "vip" || (bind.kind === "address" && vipWithAddress(spec, bind.address, bind.family) >= 0));
    if (!onVip) return;
    const first = stats.binds[0]!;
    report({
      span: first.span,
      message: `The stats page binds only VIPs (${stats.binds.map((b) => `\`${bindText(b.bind)}\``).join(", ")}): it always shows the HAProxy of the node that holds them, never the backup's, so the standby cannot be checked before it has to take over.`,
      notes: [{ message: `add \`bind node:${first.bind.port}\` (ideally reachable from a management network only) to see each node's own HAProxy` }],
    });
  },
};
