import { ipv4Bounds, sameAddress } from "../../addresses.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * The all-zeros and all-ones host parts of a subnet are its network and broadcast addresses:
 * hosts on the subnet broadcast to the one and refuse or broadcast to the other, never a unicast
 * connection to a VIP. /31 and /32 have no such addresses (RFC 3021).
 */
export const vipNetworkOrBroadcast: SpecRule = {
  meta: {
    id: "KA008",
    name: "vip-network-or-broadcast",
    category: "keepalived",
    severity: "error",
    summary: "An IPv4 VIP that is the network or the broadcast address of its own prefix.",
  },
  scope: "spec",
  check({ spec, report }) {
    spec.ir.cluster.vips.forEach((vip, i) => {
      if (vip.family !== 4 || vip.prefix > 30) return;
      const { network, broadcast } = ipv4Bounds(vip.address, vip.prefix);
      const isBroadcast = sameAddress(vip.address, 4, broadcast, 4);
      if (!isBroadcast && !sameAddress(vip.address, 4, network, 4)) return;
      const written = `${vip.address}/${vip.prefix}`;
      report({
        span: argSpan(spec, spec.model.cluster!.vips[i]!.span, 0),
        message:
          isBroadcast
            ? `The VIP \`${written}\` is the broadcast address of its /${vip.prefix}: hosts on that subnet send its packets to every machine as a broadcast, and no client can open a TCP connection to it.`
            : `The VIP \`${written}\` is the network address of its /${vip.prefix}: many hosts and routers refuse it as a destination or treat it as a broadcast, so clients cannot reliably reach it.`,
        notes: [{ message: "pick an address between the network and broadcast addresses of the subnet, or correct the prefix" }],
      });
    });
  },
};
