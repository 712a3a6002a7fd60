import { pools, sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { refusal } from "./pools.js";
import { rawAddsServers, rawRoutesOrAnswers } from "./raw-lines.js";

/**
 * HAProxy accepts a backend with no server (the check for it is compiled out), and then answers
 * every request routed there with 503. Raw lines that add servers or answer by themselves count.
 */
export const backendWithoutServers: SpecRule = {
  meta: {
    id: "HAP002",
    name: "backend-without-servers",
    category: "haproxy",
    severity: "warning",
    summary: "A backend or listen section with no `server`: everything sent to it fails.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      if (pool.model.servers.length > 0 || rawAddsServers(pool.model.raw) || rawRoutesOrAnswers(pool.model.raw)) continue;
      report({
        span: pool.model.name.span,
        message: `${sentenceLabel(pool.model)} has no \`server\`: HAProxy starts anyway, and ${refusal(pool)}.`,
        notes: [{ message: `add \`server NAME ADDRESS:PORT\` lines${pool.kind === "backend" ? ", or remove the backend and the routes to it" : ""}` }],
      });
    }
  },
};
