import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { directiveIn } from "../../statements.js";
import { exposedStatsBinds, rawAccessControl } from "./stats-access.js";

/**
 * `admin` compiles to `stats admin if TRUE`: every user who gets past the login (or everyone, when
 * there is no `auth`) may put servers in maintenance, drain them or change their weight from the
 * page. Reachable from other machines, one leaked password can take every backend out of service.
 */
export const statsAdminExposed: SpecRule = {
  meta: {
    id: "HAP023",
    name: "stats-admin-exposed",
    category: "haproxy",
    severity: "warning",
    summary: "Stats `admin` on a stats page that other machines can reach.",
  },
  scope: "spec",
  check({ spec, report }) {
    const stats = spec.model.stats;
    if (!stats?.admin || rawAccessControl(stats)) return;
    const exposed = exposedStatsBinds(spec, stats);
    if (exposed.length === 0) return;
    const statement = directiveIn(spec, stats.span, "admin");
    const who = stats.auth.length > 0 ? "anyone who logs in" : "anyone";
    report({
      span: statement?.span ?? stats.span,
      message: `The stats page listens on ${listText(exposed)} with \`admin\`: ${who} from another machine can put servers in maintenance, drain them or change their weight.`,
      notes: [{ message: "remove `admin` and use the admin socket (`socket PATH` in `global`) for server changes, or bind the stats page to `127.0.0.1` only" }],
    });
  },
};
