import type { SpecRule } from "../../rule.js";

/**
 * Each `track haproxy` becomes its own vrrp_script checking the same process: the copies add
 * their weights, and any unweighted one faults the node, so the combination decides, not either line.
 */
export const duplicateTrack: SpecRule = {
  meta: {
    id: "KA007",
    name: "duplicate-track",
    category: "keepalived",
    severity: "warning",
    summary: "Two or more `track haproxy` statements: the same check runs twice, with settings that combine.",
  },
  scope: "spec",
  check({ spec, report }) {
    const [first, ...others] = spec.model.cluster!.tracks;
    if (!first) return;
    const scripts = spec.ir.cluster.tracks;
    others.forEach((track, i) => {
      report({
        span: track.span,
        message: `Another \`track haproxy\`: Keepalived runs the same HAProxy check as both \`${scripts[0]!.script}\` and \`${scripts[i + 1]!.script}\`, their weights add up and either one without \`weight\` faults the node, so neither line alone says when the VIPs move.`,
        notes: [{ message: "the first `track haproxy` is here", span: first.span }, { message: "keep one `track haproxy` with the settings you want" }],
      });
    });
  },
};
