import type { SpecRule } from "../../rule.js";

/** A failover that nobody hears of leaves the pair running on one leg until the second one fails too. */
export const noNotification: SpecRule = {
  meta: {
    id: "KA013",
    name: "no-notification",
    category: "keepalived",
    severity: "info",
    summary: "A cluster with neither `notify email` nor `notify exec`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (cluster.notifyEmail || cluster.notifyExec.length > 0) return;
    report({
      span: cluster.name.span,
      message: `Cluster \`${cluster.name.value}\` has neither \`notify email\` nor \`notify exec\`: when the VIPs move or a node goes to FAULT nobody is told, and a pair that already failed over looks healthy until its last node fails.`,
      notes: [{ message: "add `notify email ADDRESS via SMTP_HOST` or `notify exec \"/path/to/alert\"`" }],
    });
  },
};
