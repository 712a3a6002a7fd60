import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { blockKeyword } from "../../statements.js";
import { exposedStatsBinds, rawAccessControl, rawStatsAuth } from "./stats-access.js";

/**
 * A stats page without `auth` answers anyone who can reach it: it lists every backend and server
 * with its address and state. Bound on the VIP or a wildcard, that is everyone on the network.
 */
export const statsWithoutAuth: SpecRule = {
  meta: {
    id: "HAP020",
    name: "stats-without-auth",
    category: "haproxy",
    severity: "error",
    summary: "A stats page without `auth` that other machines can reach.",
  },
  scope: "spec",
  check({ spec, report }) {
    const stats = spec.model.stats;
    if (!stats || stats.auth.length > 0 || rawStatsAuth(stats) || rawAccessControl(stats)) return;
    const exposed = exposedStatsBinds(spec, stats);
    if (exposed.length === 0) return;
    report({
      span: blockKeyword(spec, stats.span),
      message: `The stats page has no \`auth\` and listens on ${listText(exposed)}: anyone who can reach it sees every backend, server address and health state without logging in.`,
      notes: [{ message: "add `auth USER env(STATS_PASS)`, or bind it to `127.0.0.1` only" }],
    });
  },
};
