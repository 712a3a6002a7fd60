import { backendReferences } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/** A backend no route and no `default` names: dead configuration, usually a typo in a route. */
export const unusedBackend: SpecRule = {
  meta: {
    id: "HAP001",
    name: "unused-backend",
    category: "haproxy",
    severity: "warning",
    summary: "A backend that no `route` and no `default ->` sends traffic to.",
  },
  scope: "spec",
  check({ spec, report }) {
    const references = backendReferences(spec);
    for (const backend of spec.model.backends) {
      if (references.has(backend.name.value)) continue;
      report({
        span: backend.name.span,
        message: `Backend \`${backend.name.value}\` receives no traffic: no \`route\` and no \`default ->\` names it.`,
        notes: [{ message: "route to it from a frontend, or remove it" }],
      });
    }
  },
};
