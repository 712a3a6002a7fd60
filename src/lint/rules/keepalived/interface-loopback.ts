import type { SpecRule } from "../../rule.js";
import { isLoopbackInterface as isLoopback, vipDevSpan } from "./interfaces.js";

/**
 * Keepalived refuses a loopback interface for a VRRP instance ("cannot use a loopback interface
 * (lo) for vrrp - ignoring"), and a VIP on `lo` is announced nowhere: its gratuitous ARPs after a
 * failover stay on the host.
 */
export const interfaceLoopback: SpecRule = {
  meta: {
    id: "KA010",
    name: "interface-loopback",
    category: "keepalived",
    severity: "error",
    summary: "`interface lo` (cluster or node override) or a VIP with `dev lo`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    const refused = (name: string) =>
      `Keepalived refuses the loopback interface \`${name}\` for VRRP ("cannot use a loopback interface … - ignoring"): the instance has no interface to send adverts on, and \`keepalived -t\` reports an error.`;
    // The cluster's interface only matters for nodes that do not override it.
    if (cluster.interface && isLoopback(cluster.interface.value) && cluster.nodes.some((n) => !n.interface)) {
      report({ span: cluster.interface.span, message: refused(cluster.interface.value), notes: [{ message: "name the interface that connects the nodes, such as `eth0`" }] });
    }
    for (const node of cluster.nodes) {
      if (!node.interface || !isLoopback(node.interface.value)) continue;
      report({ span: node.interface.span, message: refused(node.interface.value), notes: [{ message: `name the interface that connects \`${node.name.value}\` to the other nodes` }] });
    }
    for (const vip of cluster.vips) {
      if (vip.dev === undefined || !isLoopback(vip.dev)) continue;
      report({
        span: vipDevSpan(spec, vip.span),
        message: `The VIP \`${vip.address}\` is put on the loopback interface \`${vip.dev}\`: the gratuitous ARPs Keepalived sends after a failover never leave the node, so routers and clients keep sending the VIP's traffic to the old master until their ARP caches expire.`,
        notes: [{ message: "drop `dev` (the VIP then lives on the node's VRRP interface) or name the interface clients reach" }],
      });
    }
  },
};
