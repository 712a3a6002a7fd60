import type { SpecRule } from "../../rule.js";

/**
 * A node may name its interface differently (eth0 on one host, ens192 on the other), which is
 * fine as long as both are the same link. If they are not, adverts never meet (both nodes become
 * MASTER) and VIPs without `dev` land on a network the other node is not on.
 */
export const nodeInterfaceDiffers: SpecRule = {
  meta: {
    id: "PAIR013",
    name: "node-interface-differs",
    category: "pair",
    severity: "info",
    summary: "A node overriding `interface` with another name than the others': adverts and VIPs use a different interface on that node.",
  },
  scope: "spec",
  check({ spec, report }) {
    const { cluster } = spec.ir;
    const model = spec.model.cluster!;
    cluster.nodes.forEach((node, i) => {
      const written = model.nodes[i]!.interface;
      if (node.interface === cluster.interface || !written) return;
      const others = [...new Set(cluster.nodes.filter((n) => n.interface !== node.interface).map((n) => `\`${n.interface}\``))].join(", ");
      report({
        span: written.span,
        message: `Node \`${node.name}\` sends adverts and holds the VIPs on \`${node.interface}\`, the other nodes on ${others}: unless both are the same network, adverts never meet (every node becomes MASTER) and the VIPs land on different links.`,
        notes: [{ message: "make sure the interfaces are the same link and the VIP subnets are on it; use one interface name when the hosts allow it" }],
      });
    });
  },
};
