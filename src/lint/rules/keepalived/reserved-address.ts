import { reservedKind } from "../../addresses.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * Loopback, unspecified, multicast, limited-broadcast and IPv4 link-local addresses parse as IP
 * addresses, so the compiler accepts them, but none can be a VIP clients reach or a node address
 * adverts and `node:` binds use.
 */
export const reservedAddress: SpecRule = {
  meta: {
    id: "KA009",
    name: "reserved-address",
    category: "keepalived",
    severity: "error",
    summary: "A VIP or node address that is loopback, unspecified, multicast, limited broadcast or IPv4 link-local.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    for (const vip of cluster.vips) {
      const kind = reservedKind(vip.address, vip.family);
      if (!kind) continue;
      report({
        span: argSpan(spec, vip.span, 0),
        message: `The VIP \`${vip.address}\` is ${kind}: no client can reach it over the network, so nothing bound to it is served.`,
        notes: [{ message: "use a free unicast address of the subnet the nodes share" }],
      });
    }
    for (const node of cluster.nodes) {
      const kind = reservedKind(node.address.value, node.family);
      if (!kind) continue;
      report({
        span: node.address.span,
        message: `Node \`${node.name.value}\`'s address \`${node.address.value}\` is ${kind}: it is not an address the node can be reached at, yet unicast adverts and \`bind node:PORT\` use it.`,
        notes: [{ message: "write the node's own address on the interface VRRP runs on" }],
      });
    }
  },
};
