import type { SpecRule } from "../../rule.js";
import { globalDirective } from "../../statements.js";

/**
 * `socket PATH` alone is `stats socket PATH mode 660 level admin`: every member of the socket's
 * group may disable servers, change weights, or shut sessions down. Monitoring and most tooling
 * only need `operator` (read everything, no state changes) or `user`.
 */
export const adminSocketLevelAdmin: SpecRule = {
  meta: {
    id: "HAP038",
    name: "admin-socket-level-admin",
    category: "haproxy",
    severity: "info",
    summary: "`socket PATH` without `level`, which halb writes as `level admin`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const statement = globalDirective(spec, "socket");
    if (!statement || statement.args.length > 1 || !spec.model.global.statsSocket) return;
    report({
      span: statement.span,
      message: "`socket` has no `level`, so halb writes `level admin`: anyone in the socket's group can put servers in maintenance, change their weight or kill sessions.",
      notes: [{ message: "write `level operator` (or `level user`) when the socket only feeds monitoring, or `level admin` to say that admin is meant" }],
    });
  },
};
