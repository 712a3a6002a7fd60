import type { SpecRule } from "../../rule.js";
import { globalAnchor, globalDirective } from "../../statements.js";

/**
 * Which keywords exist, and which are removed, depends on the HAProxy version. A spec that does
 * not say which version it targets is checked against the command line's or halb's default (2.6),
 * which may not be what runs on the nodes.
 */
export const targetVersionUnset: SpecRule = {
  meta: {
    id: "HAP037",
    name: "target-version-unset",
    category: "haproxy",
    severity: "info",
    summary: "The spec does not pin `target haproxy X` in `global`.",
  },
  scope: "spec",
  check({ spec, report }) {
    if (globalDirective(spec, "target")) return;
    report({
      span: globalAnchor(spec),
      message: `The spec does not say which HAProxy it targets, so halb checks it against HAProxy ${spec.model.target}; keywords removed in the version the nodes actually run are not caught.`,
      notes: [{ message: `add \`target haproxy ${spec.model.target}\` (or the version the nodes run) to \`global\`` }],
    });
  },
};
