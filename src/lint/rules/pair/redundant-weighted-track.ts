import type { SpecRule } from "../../rule.js";
import { keyValueSpan } from "../../statements.js";

/**
 * Every `track` checks the same HAProxy. Once one track without weight fails, the node is in
 * FAULT (priority 0) and gives up the VIPs, so the priority change of a weighted track beside it
 * decides nothing: it only suggests a failover policy that is not the one in force.
 */
export const redundantWeightedTrack: SpecRule = {
  meta: {
    id: "PAIR012",
    name: "redundant-weighted-track",
    category: "pair",
    severity: "warning",
    summary: "Weighted tracks beside a track without weight: the FAULT track decides the failover, the weight never matters.",
  },
  scope: "spec",
  check({ spec, report }) {
    const tracks = spec.model.cluster!.tracks;
    const fault = tracks.find((t) => t.weight === null);
    if (!fault) return;
    for (const track of tracks) {
      if (track.weight === null) continue;
      report({
        span: keyValueSpan(spec, track.span, "weight") ?? track.span,
        message: `This track's \`weight ${track.weight}\` never decides anything: another \`track haproxy\` without weight checks the same HAProxy and puts the node in FAULT, which gives up the VIPs whatever the priorities.`,
        notes: [
          { message: "the track without weight", span: fault.span },
          { message: "keep one way of failing over: drop this track (FAULT is the fastest), or give every track a weight" },
        ],
      });
    }
  },
};
