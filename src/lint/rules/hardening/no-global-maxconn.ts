import type { SpecRule } from "../../rule.js";
import { globalAnchor, rawHas } from "../../statements.js";

/**
 * Without `maxconn` in global, HAProxy derives its process-wide connection limit from the file
 * descriptor limit it was started with (`ulimit -n`, systemd's LimitNOFILE): the same spec then
 * accepts a different number of connections on each node, and can exhaust memory under load.
 */
export const noGlobalMaxconn: SpecRule = {
  meta: {
    id: "HAP025",
    name: "no-global-maxconn",
    category: "haproxy",
    severity: "info",
    summary: "`global` without `maxconn`: the process-wide limit then follows `ulimit -n`.",
  },
  scope: "spec",
  check({ spec, report }) {
    if (spec.model.global.maxconn !== undefined) return;
    if (rawHas(spec.model.global.raw, "maxconn")) return;
    report({
      span: globalAnchor(spec),
      message: "No `maxconn` in `global`: HAProxy computes its connection limit from the file-descriptor limit of whoever starts it, so each node may accept a different number of connections, and none is a number you chose.",
      notes: [{ message: "add `maxconn N` to `global`, sized for the memory and file descriptors of the nodes" }],
    });
  },
};
