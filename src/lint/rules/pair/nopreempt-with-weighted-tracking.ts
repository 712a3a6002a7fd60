import type { SpecRule } from "../../rule.js";
import { keyValueSpan } from "../../statements.js";

/**
 * `nopreempt` means a backup never takes the VIPs from a master that still advertises, whatever
 * its priority. A weighted track only lowers the master's priority, so with `preempt off` a dead
 * HAProxy never moves the VIPs; only a track without weight (FAULT, priority 0) still does.
 */
export const nopreemptWithWeightedTracking: SpecRule = {
  meta: {
    id: "PAIR002",
    name: "nopreempt-with-weighted-tracking",
    category: "pair",
    severity: "error",
    summary: "`preempt off` with only weighted tracks: a dead HAProxy lowers the master's priority, which nopreempt ignores, so the VIPs never move.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (cluster.preempt?.value.mode !== "off") return;
    const weighted = cluster.tracks.filter((t) => t.weight !== null);
    // A track without weight puts the master in FAULT, which a backup always answers.
    if (weighted.length === 0 || cluster.tracks.some((t) => t.weight === null)) return;
    const master = spec.ir.cluster.nodes.find((n) => n.role === "master");
    report({
      span: cluster.preempt.span,
      message: `With \`preempt off\` no backup takes the VIPs from a master that still advertises: when HAProxy dies on \`${master?.name ?? "the master"}\`, the track's \`weight ${weighted[0]!.weight}\` only lowers its priority and the VIPs stay on a node that cannot serve them.`,
      notes: [
        ...weighted.map((t) => ({ message: "this track only changes the priority", span: keyValueSpan(spec, t.span, "weight") ?? t.span })),
        { message: "remove `weight` so that a failed check puts the node in FAULT (which nopreempt does not stop), or use `preempt on` / `preempt delay D`" },
      ],
    });
  },
};
