import type { SpecRule } from "../../rule.js";
import { globalAnchor, globalDirective, rawHas } from "../../statements.js";

/**
 * HAProxy is started as root to bind low ports; it only gives root up when `user`/`uid` says to
 * whom. Without one, a flaw in request parsing runs with every privilege on the load balancer.
 */
export const runsAsRoot: SpecRule = {
  meta: {
    id: "HAP026",
    name: "runs-as-root",
    category: "haproxy",
    severity: "warning",
    summary: "`global` without `user` (or with `user root`): HAProxy keeps running as root.",
  },
  scope: "spec",
  check({ spec, report }) {
    const { user } = spec.model.global;
    if (rawHas(spec.model.global.raw, "user") || rawHas(spec.model.global.raw, "uid")) return;
    if (user === undefined) {
      report({
        span: globalAnchor(spec),
        message: "No `user` in `global`: started as root (as it must be to bind ports below 1024), HAProxy keeps every root privilege while it parses requests from the network.",
        notes: [{ message: "add `user haproxy` and `group haproxy` (an unprivileged account): HAProxy binds its ports first, then drops to it" }],
      });
    } else if (user === "root" || user === "0") {
      const statement = globalDirective(spec, "user");
      report({
        span: statement?.args[0]?.span ?? globalAnchor(spec),
        message: `\`user ${user}\` keeps HAProxy running as root while it parses requests from the network.`,
        notes: [{ message: "use an unprivileged account such as `user haproxy`" }],
      });
    }
  },
};
