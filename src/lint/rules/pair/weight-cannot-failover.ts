import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * With weighted tracking, a dead HAProxy only lowers the master's priority by the sum of the
 * weights; if that still beats (or ties) a backup, the VIP stays on the node whose HAProxy is down.
 * Keepalived clamps effective priorities to 1..254.
 */
export const weightCannotFailover: SpecRule = {
  meta: {
    id: "PAIR001",
    name: "weight-cannot-failover",
    category: "pair",
    severity: "error",
    summary: "A tracking weight too small to let any backup outrank the master when HAProxy dies.",
  },
  scope: "spec",
  check({ spec, report }) {
    const { cluster } = spec.ir;
    const weighted = spec.model.cluster!.tracks.filter((t) => t.weight !== null);
    // A track without weight puts the node in FAULT (priority 0): failover happens whatever the weights.
    if (weighted.length === 0 || spec.model.cluster!.tracks.some((t) => t.weight === null)) return;
    const master = cluster.nodes.find((n) => n.role === "master");
    const backups = cluster.nodes.filter((n) => n.role === "backup");
    if (!master || backups.length === 0) return;
    const negative = weighted.reduce((sum, t) => sum + Math.min(0, t.weight!), 0);
    const positive = weighted.reduce((sum, t) => sum + Math.max(0, t.weight!), 0);
    // HAProxy down on the master: it loses the positive bonus (or takes the negative hit); backups keep it.
    const masterDown = clamp(master.priority + negative);
    const best = Math.max(...backups.map((b) => clamp(b.priority + positive)));
    if (best > masterDown) return;
    const strongest = backups.filter((b) => clamp(b.priority + positive) === best).map((b) => `\`${b.name}\` (${best})`);
    const span = weighted[0]!.span;
    report({
      span,
      message:
        best === masterDown
          ? `When HAProxy dies on \`${master.name}\` its priority falls to ${masterDown}, only equal to ${listText(strongest)}: the tie is broken by IP address, not by health.`
          : `When HAProxy dies on \`${master.name}\` its priority only falls to ${masterDown}, still above ${listText(strongest)}: the VIP stays on the node whose HAProxy is down.`,
      notes: [
        { message: `the master's priority ${master.priority} minus the tracking weights ${-negative} must end below the best backup's; use weights adding up to less than ${best - master.priority}, or drop \`weight\` so a failed check puts the node in FAULT` },
      ],
    });
  },
};

function clamp(priority: number): number {
  return Math.max(1, Math.min(254, priority));
}
