import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * A VRRP advert carries addresses of one family, the first VIP's; halb writes the others into
 * `virtual_ipaddress_excluded`: they move with the instance but are neither announced nor checked.
 */
export const excludedVips: SpecRule = {
  meta: {
    id: "KA017",
    name: "excluded-vips",
    category: "keepalived",
    severity: "info",
    summary: "VIPs of the other address family than the first VIP, which go to `virtual_ipaddress_excluded`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const vips = spec.model.cluster!.vips;
    const first = vips[0];
    if (!first) return;
    for (const vip of vips) {
      if (vip.family === first.family) continue;
      report({
        span: argSpan(spec, vip.span, 0),
        message: `The IPv${vip.family} VIP \`${vip.address}\` is written to \`virtual_ipaddress_excluded\`: the adverts are IPv${first.family}, like the first VIP \`${first.address}\`, so this VIP moves with the others but is not listed in adverts and Keepalived never checks that both nodes agree on it.`,
        notes: [{ message: `expected in a dual-stack pair; to announce the IPv${vip.family} VIPs instead, write one of them first (node addresses must then be IPv${vip.family} too)` }],
      });
    }
  },
};
