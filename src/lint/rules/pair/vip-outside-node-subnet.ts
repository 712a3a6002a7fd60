import { hasSubnet, inSubnet } from "../../addresses.js";
import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * Keepalived adds a VIP to the node's interface with the prefix written; a node whose own
 * address is outside that subnet is on another network, so the VIP cannot move to it and stay
 * reachable without routing (acassen/keepalived#2505). Host routes (/32, /128) name no subnet and
 * are not judged; a VIP with its own `dev` on another link than the node's interface neither.
 */
export const vipOutsideNodeSubnet: SpecRule = {
  meta: {
    id: "PAIR004",
    name: "vip-outside-node-subnet",
    category: "pair",
    severity: "error",
    summary: "A node address outside the subnet of a VIP (of the same family): the VIP cannot move to that node without routing.",
  },
  scope: "spec",
  check({ spec, report }) {
    const model = spec.model.cluster!;
    spec.ir.cluster.vips.forEach((vip, i) => {
      if (!hasSubnet(vip)) return;
      const outside = spec.ir.cluster.nodes
        .map((node, n) => ({ node, model: model.nodes[n]! }))
        .filter(({ node }) => node.family === vip.family && (vip.dev === undefined || vip.dev === node.interface))
        .filter(({ node }) => !inSubnet(node.address, node.family, vip.address, vip.prefix, vip.family));
      if (outside.length === 0) return;
      const subnet = `${vip.address}/${vip.prefix}`;
      const names = outside.map(({ node }) => `\`${node.name}\` (${node.address})`);
      report({
        span: argSpan(spec, model.vips[i]!.span, 0),
        message: `VIP \`${subnet}\` does not contain the address of ${listText(names)}: a node outside the VIP's subnet holds it on a network it is not part of, so after a failover to ${outside.length === 1 ? "that node" : "those nodes"} clients cannot reach the VIP without extra routing.`,
        notes: [
          ...outside.map(({ node, model: m }) => ({ message: `\`${node.name}\` is outside \`${subnet}\``, span: m.address.span })),
          { message: "give the VIP the nodes' own subnet and prefix (or put the nodes in the VIP's subnet); a VIP on another link needs `dev IFACE`" },
        ],
      });
    });
  },
};
