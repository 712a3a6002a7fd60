import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * Keepalived fits the VIPs of an advert into one packet: at most (MTU − headers) / address size,
 * and never more than 255 (the 8-bit count field). It moves the rest to the excluded addresses and
 * reports a configuration error (keepalived/vrrp/vrrp.c, "Number of VIPs … exceeds maximum/space
 * available in packet").
 */
export const tooManyVips: SpecRule<{ mtu: number }> = {
  meta: {
    id: "KA018",
    name: "too-many-vips",
    category: "keepalived",
    severity: "warning",
    summary: "More VIPs of the advert's family than one VRRP packet can carry at the interface's MTU.",
    options: {
      schema: {
        type: "object",
        properties: { mtu: { type: "integer", minimum: 576, maximum: 65535, description: "the MTU of the VRRP interface" } },
        additionalProperties: false,
      },
      defaults: { mtu: 1500 },
    },
  },
  scope: "spec",
  check({ spec, report, options }) {
    const vips = spec.model.cluster!.vips;
    const family = vips[0]?.family;
    if (family === undefined) return;
    const announced = vips.filter((v) => v.family === family);
    const max = maxAddresses(family, options.mtu);
    if (announced.length <= max) return;
    report({
      span: argSpan(spec, announced[max]!.span, 0),
      message: `An IPv${family} advert holds at most ${max} addresses at MTU ${options.mtu}, and the cluster has ${announced.length} IPv${family} VIPs: Keepalived moves the VIPs beyond the limit out of the adverts (into the excluded addresses) and reports a configuration error, so \`keepalived -t\` fails.`,
      notes: [{ message: `keep at most ${max} VIPs of the first VIP's family, or split them over two clusters with different VRIDs` }],
    });
  },
};

/** Ethernet (14) + IPv4 (20) + VRRP (8) + VRRPv2 authentication (8) bytes; Ethernet + IPv6 (40) + VRRP for IPv6. */
function maxAddresses(family: 4 | 6, mtu: number): number {
  const fit = family === 4 ? Math.floor((mtu - 14 - 20 - 8 - 8) / 4) : Math.floor((mtu - 14 - 40 - 8) / 16);
  return Math.min(255, fit);
}
