import type { SpecRule } from "../../rule.js";

/** A cluster of one node compiles, but there is nothing to fail over to: the VIPs die with it. */
export const singleNodeCluster: SpecRule = {
  meta: {
    id: "PAIR007",
    name: "single-node-cluster",
    category: "pair",
    severity: "error",
    summary: "A cluster with a single node: there is nothing to fail over to.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (cluster.nodes.length !== 1) return;
    const only = cluster.nodes[0]!;
    report({
      span: cluster.name.span,
      message: `Cluster \`${cluster.name.value}\` has a single node, \`${only.name.value}\`: when it (or its HAProxy) fails there is no backup to take the VIPs, and the service is down.`,
      notes: [
        { message: "the only node", span: only.span },
        { message: "add a backup node: `node NAME ADDRESS backup`" },
      ],
    });
  },
};
