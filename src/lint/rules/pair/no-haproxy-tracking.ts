import type { SpecRule } from "../../rule.js";

/**
 * Without `track haproxy`, Keepalived knows nothing of HAProxy: the VIPs move when a node or its
 * Keepalived dies, and stay on a node whose HAProxy has crashed, refusing every connection.
 */
export const noHaproxyTracking: SpecRule = {
  meta: {
    id: "PAIR003",
    name: "no-haproxy-tracking",
    category: "pair",
    severity: "error",
    summary: "A cluster without `track haproxy`: the VIPs never move when HAProxy dies.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (cluster.tracks.length > 0) return;
    report({
      span: cluster.name.span,
      message: `Cluster \`${cluster.name.value}\` does not track HAProxy: the VIPs move only when a node or its Keepalived dies, and stay on a node whose HAProxy has crashed, where every connection is refused.`,
      notes: [{ message: "add `track haproxy every 2s fall 2 rise 2` to the cluster (without `weight`, a failed check hands the VIPs over at once)" }],
    });
  },
};
