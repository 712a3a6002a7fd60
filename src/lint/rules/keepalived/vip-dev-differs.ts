import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { isLoopbackInterface, vipDevSpan } from "./interfaces.js";

/**
 * Keepalived 2.x faults the instance when the link of a VIP's interface goes down, but VRRP adverts
 * only test the network they travel on: with the VIP on another interface, a failure behind a link
 * that stays up (a dead switch, a cut VLAN) leaves the VIP on a node clients cannot reach.
 */
export const vipDevDiffers: SpecRule = {
  meta: {
    id: "KA015",
    name: "vip-dev-differs",
    category: "keepalived",
    severity: "info",
    summary: "A VIP whose `dev` differs from the interface the VRRP adverts use.",
  },
  scope: "spec",
  check({ spec, report }) {
    const nodes = spec.ir.cluster.nodes;
    for (const vip of spec.model.cluster!.vips) {
      // A VIP on `lo` is KA010's (interface-loopback) finding.
      if (vip.dev === undefined || isLoopbackInterface(vip.dev)) continue;
      const elsewhere = nodes.filter((n) => n.interface !== vip.dev);
      if (elsewhere.length === 0) continue;
      const interfaces = [...new Set(elsewhere.map((n) => n.interface))].map((i) => `\`${i}\``);
      const who = elsewhere.length === nodes.length ? "" : ` on ${listText(elsewhere.map((n) => `\`${n.name}\``))}`;
      report({
        span: vipDevSpan(spec, vip.span),
        message: `The VIP \`${vip.address}\` lives on \`${vip.dev}\` but the adverts travel on ${listText(interfaces)}${who}: Keepalived notices when \`${vip.dev}\`'s link goes down, not a failure behind it (a dead switch, a cut VLAN), so the VIP can stay on a node clients cannot reach.`,
        notes: [{ message: "run VRRP on the interface that carries the VIPs, or make sure a failure of that network also breaks the adverts' path" }],
      });
    }
  },
};
