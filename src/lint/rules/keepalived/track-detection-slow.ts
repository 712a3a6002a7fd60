import { formatMs, seconds } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * A tracked check fails the node only after `fall` failed runs, one every `every`, and a run that
 * hangs counts as failed only at its `timeout`: until then the VIPs stay with a dead HAProxy.
 */
export const trackDetectionSlow: SpecRule<{ maxMs: number }> = {
  meta: {
    id: "KA004",
    name: "track-detection-slow",
    category: "keepalived",
    severity: "info",
    summary: "A `track haproxy` whose `every × fall + timeout` exceeds `maxMs`: a dead HAProxy keeps the VIPs that long.",
    options: {
      schema: {
        type: "object",
        properties: { maxMs: { type: "integer", minimum: 1000, description: "the longest time accepted to notice a dead HAProxy, in ms" } },
        additionalProperties: false,
      },
      defaults: { maxMs: 10000 },
    },
  },
  scope: "spec",
  check({ spec, report, options }) {
    spec.model.cluster!.tracks.forEach((model, i) => {
      const track = spec.ir.cluster.tracks[i]!;
      const worstMs = track.intervalMs * track.fall + track.timeoutMs;
      if (worstMs <= options.maxMs) return;
      const every = formatMs(track.intervalMs);
      const timeout = formatMs(track.timeoutMs);
      const how =
        track.fall === 1
          ? `one check every ${every}, allowed ${timeout} to time out`
          : `${track.fall} failed checks one every ${every}, the last allowed ${timeout} to time out`;
      report({
        span: model.span,
        message: `This \`track haproxy\` can take up to ${seconds(worstMs)} to act on a dead HAProxy (${how}): meanwhile the VIPs stay on a node that refuses connections.`,
        notes: [{ message: `lower \`every\`, \`fall\` or \`timeout\` so that every × fall + timeout stays within ${formatMs(options.maxMs)} (the rule's \`maxMs\`)` }],
      });
    });
  },
};
