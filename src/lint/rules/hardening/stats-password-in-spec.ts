import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";
import { userText, writtenStatsPasswords } from "./stats-access.js";

/**
 * A password written in the spec travels with it: into git, code review, CI logs, and in clear
 * into haproxy.cfg. `env(NAME)` keeps it out of both: haproxy.cfg then says `${NAME}` and HAProxy
 * reads the value from its environment (contract §9).
 */
export const statsPasswordInSpec: SpecRule = {
  meta: {
    id: "HAP022",
    name: "stats-password-in-spec",
    category: "haproxy",
    severity: "warning",
    summary: "A stats `auth` password written in the spec instead of `env(NAME)`.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const { auth } of writtenStatsPasswords(spec.model.stats)) {
      report({
        span: argSpan(spec, auth.span, 1),
        message: `The stats password of user \`${userText(auth.user)}\` is written in the spec: it goes wherever the spec goes (git history, reviews, CI logs) and into haproxy.cfg in clear.`,
        notes: [{ message: "write `env(STATS_PASS)` instead and set STATS_PASS where HAProxy runs: haproxy.cfg then holds `${STATS_PASS}`, not the password" }],
      });
    }
  },
};
