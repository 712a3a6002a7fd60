import type { SpecRule } from "../../rule.js";
import { hostLabels, routeConditions } from "./routes.js";

/**
 * `hdr_dom(host) -i api` matches wherever `api` stands as a whole label in the Host header:
 * `api.example.com`, but also `api.evil.example` and `x.api.y`. A client chooses its Host header,
 * so a single-label host routes whatever the client wants into that backend.
 */
export const hostRouteSingleLabel: SpecRule = {
  meta: {
    id: "HAP011",
    name: "host-route-single-label",
    category: "haproxy",
    severity: "warning",
    summary: "A `route host H` whose H is a single label, which matches it inside any host name.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const condition of routeConditions(spec)) {
      if (condition.kind !== "host") continue;
      const labels = hostLabels(condition.value);
      if (labels.length !== 1) continue;
      const label = labels[0]!;
      report({
        span: condition.span,
        message: `\`host ${condition.value}\` matches any Host header that has \`${label}\` as a label, such as \`${label}.evil.example\` or \`x.${label}.y\`, not only \`${label}\` itself.`,
        notes: [{ message: `write the full host name, such as \`host ${label}.example.com\`` }],
      });
    }
  },
};
