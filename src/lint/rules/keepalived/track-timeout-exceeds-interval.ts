import { formatMs } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argAfter } from "../../statements.js";

/**
 * Keepalived starts a vrrp_script every `interval`, but skips a run while the previous one is still
 * running ("already running, expect idle - skipping run"): a timeout longer than the interval
 * stretches the time between verdicts of a hanging check to whole multiples of the interval.
 */
export const trackTimeoutExceedsInterval: SpecRule = {
  meta: {
    id: "KA005",
    name: "track-timeout-exceeds-interval",
    category: "keepalived",
    severity: "warning",
    summary: "`track haproxy … timeout T` longer than its `every`: runs that fall due while a check hangs are skipped.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const track of spec.model.cluster!.tracks) {
      if (track.timeoutMs === null || track.timeoutMs <= track.intervalMs) continue;
      const span = argAfter(spec, track.span, "timeout")?.span ?? track.span;
      const perFailure = Math.ceil(track.timeoutMs / track.intervalMs) * track.intervalMs;
      report({
        span,
        message: `The check timeout \`${formatMs(track.timeoutMs)}\` is longer than its interval \`${formatMs(track.intervalMs)}\`: while a check hangs Keepalived skips the runs that fall due, so a hanging check counts one failure every ${formatMs(perFailure)} instead of every ${formatMs(track.intervalMs)}.`,
        notes: [{ message: `use a timeout no longer than \`every\` (without \`timeout\`, halb uses the interval)` }],
      });
    }
  },
};
