import { formatMs, pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * HAProxy marks a server down after `fall` failed checks `every` apart: until then, the requests
 * it receives fail. Past a few tens of seconds that is an outage users see for every failure.
 */
export const slowFailureDetection: SpecRule<{ maxMs: number }> = {
  meta: {
    id: "HAP018",
    name: "slow-failure-detection",
    category: "haproxy",
    severity: "info",
    summary: "A health check that needs longer than `maxMs` (interval × fall) to take a dead server out.",
    options: {
      schema: {
        type: "object",
        properties: { maxMs: { type: "integer", minimum: 1, description: "The longest acceptable interval × fall, in milliseconds." } },
        additionalProperties: false,
      },
      defaults: { maxMs: 30_000 },
    },
  },
  scope: "spec",
  check({ spec, report, options }) {
    for (const pool of pools(spec)) {
      const health = pool.model.health;
      if (!health || !pool.ir.servers.some((s) => s.check && !s.disabled)) continue;
      const { intervalMs, fall } = health.value;
      const detectMs = intervalMs * fall;
      if (detectMs <= options.maxMs) continue;
      report({
        span: health.span,
        message: `The health check of ${proxyLabel(pool.model)} takes ${formatMs(detectMs)} to notice a dead server (\`every ${formatMs(intervalMs)}\` × \`fall ${fall}\`): the requests sent to it fail all that time.`,
        notes: [{ message: `keep every × fall within ${formatMs(options.maxMs)}, e.g. \`every 2s fall 3\`` }],
      });
    }
  },
};
