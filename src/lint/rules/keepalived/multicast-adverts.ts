import type { SpecRule } from "../../rule.js";

/**
 * Without `unicast`, adverts go to the VRRP multicast group; where multicast is dropped (most public
 * clouds, some virtual switches and overlay networks) no node hears the others and every node is MASTER.
 */
export const multicastAdverts: SpecRule = {
  meta: {
    id: "KA016",
    name: "multicast-adverts",
    category: "keepalived",
    severity: "info",
    summary: "No `unicast`: VRRP adverts are multicast, which most public clouds and some virtual networks drop.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (cluster.unicast) return;
    const group = spec.ir.cluster.vips[0]?.family === 6 ? "ff02::12" : "224.0.0.18";
    report({
      span: cluster.name.span,
      message: `Cluster \`${cluster.name.value}\` sends its adverts to the multicast group ${group}: where multicast is dropped (most public clouds, some virtual switches and overlay networks) the nodes never hear each other and every node becomes MASTER with the VIPs.`,
      notes: [{ message: "add `unicast` to the cluster: each node then sends its adverts straight to the others' addresses" }],
    });
  },
};
