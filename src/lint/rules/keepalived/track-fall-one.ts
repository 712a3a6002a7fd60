import type { SpecRule } from "../../rule.js";
import { argAfter } from "../../statements.js";

/**
 * With `fall 1` (Keepalived's default) one failed run of the HAProxy check moves the VIPs, and with
 * them every open connection: a single slow check on a loaded node is enough.
 */
export const trackFallOne: SpecRule = {
  meta: {
    id: "KA006",
    name: "track-fall-one",
    category: "keepalived",
    severity: "info",
    summary: "A `track haproxy` with `fall 1` (the default): one failed check triggers a failover.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const track of spec.model.cluster!.tracks) {
      if (track.fall !== 1) continue;
      const written = argAfter(spec, track.span, "fall");
      report({
        span: written?.span ?? track.span,
        message: `${written ? "`fall 1`" : "Without `fall`, Keepalived's default `fall 1`"} fails the node after a single failed run of the HAProxy check (one that outlasts its timeout on a busy node, say): the VIPs move to the other node and every open connection through them breaks.`,
        notes: [{ message: "use `fall 2` or more, so that only a repeated failure fails over" }],
      });
    }
  },
};
