import type { SpecRule } from "../../rule.js";
import { keyValueSpan } from "../../statements.js";

/**
 * With preemption, the master takes the VIPs back as soon as its check passes again. With
 * `rise 1`, one good check is enough: a HAProxy that crash-loops on the master (restarted by
 * systemd, dying again) pulls the VIPs back and forth at every restart, and each move drops the
 * open connections. `rise` ≥ 2 or `preempt delay` makes the master prove itself first.
 */
export const preemptFlapping: SpecRule = {
  meta: {
    id: "PAIR014",
    name: "preempt-flapping",
    category: "pair",
    severity: "warning",
    summary: "`preempt on` with a track whose `rise` is 1: a crash-looping HAProxy on the master takes the VIPs back after every restart.",
  },
  scope: "spec",
  check({ spec, report }) {
    const cluster = spec.model.cluster!;
    if (spec.ir.cluster.vrrp.preempt.mode !== "on" || cluster.nodes.length < 2) return;
    for (const track of cluster.tracks) {
      if (track.rise !== 1) continue;
      const written = keyValueSpan(spec, track.span, "rise");
      report({
        span: written ?? track.span,
        message: `With preemption on and ${written ? "`rise 1`" : "`rise` left at its default of 1"}, one good check is enough for the master to take the VIPs back: a HAProxy that keeps crashing and restarting there moves the VIPs back and forth, dropping connections at every move.`,
        notes: [
          ...(cluster.preempt ? [{ message: "preemption is on here", span: cluster.preempt.span }] : []),
          { message: "use `rise 2` or more, or `preempt delay 30s` so the master must stay healthy before it takes the VIPs back" },
        ],
      });
    }
  },
};
