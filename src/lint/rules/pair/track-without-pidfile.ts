import type { SpecRule } from "../../rule.js";

/**
 * The generated chk_haproxy.sh reads the pid from `global`'s pidfile and checks that process with
 * `kill -0`. Without a pidfile it runs `pidof haproxy`, which succeeds while any process named
 * haproxy exists: a `haproxy -c` check, a second instance, an old process still draining after a
 * reload. The node can look healthy while the HAProxy that serves the VIPs is gone.
 */
export const trackWithoutPidfile: SpecRule = {
  meta: {
    id: "PAIR015",
    name: "track-without-pidfile",
    category: "pair",
    severity: "warning",
    summary: "`track haproxy` without a `pidfile` in `global`: the check falls back to `pidof haproxy`, which any haproxy process satisfies.",
  },
  scope: "spec",
  check({ spec, report }) {
    const track = spec.model.cluster!.tracks[0];
    if (!track || spec.model.global.pidfile !== undefined) return;
    report({
      span: track.span,
      message: "`global` has no `pidfile`, so the track script falls back to `pidof haproxy`, which passes while any process named haproxy runs (a `haproxy -c` check, a second instance, an old process draining after a reload): a node whose serving HAProxy is dead can keep the VIPs.",
      notes: [
        ...(spec.model.global.span ? [{ message: "the global block", span: spec.model.global.span }] : []),
        { message: "add `pidfile /run/haproxy.pid` to `global`: the check then follows that exact process" },
      ],
    });
  },
};
