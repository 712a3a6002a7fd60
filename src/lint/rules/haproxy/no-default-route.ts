import type { SpecRule } from "../../rule.js";
import { rawHas } from "../../statements.js";
import { isCatchAll } from "./routes.js";

/**
 * Without `default ->`, a request no route matches (an unknown Host, a bare IP, a health probe of
 * the VIP) gets HAProxy's own 503. Often deliberate; worth deciding explicitly.
 */
export const noDefaultRoute: SpecRule = {
  meta: {
    id: "HAP010",
    name: "no-default-route",
    category: "haproxy",
    severity: "info",
    summary: "A frontend with routes but no `default ->`: requests no route matches get a 503.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const frontend of spec.model.frontends) {
      const { routes } = frontend;
      if (routes.length === 0 || frontend.defaultBackend || routes.some(isCatchAll) || rawHas(frontend.raw, "default_backend")) continue;
      report({
        span: frontend.name.span,
        message: `Frontend \`${frontend.name.value}\` has no \`default ->\`: a request that none of its ${routes.length === 1 ? "route" : `${routes.length} routes`} ${routes.length === 1 ? "matches" : "match"} (an unknown Host, the bare VIP) gets a 503.`,
        notes: [{ message: "add `default -> BACKEND` for the requests no route takes, or suppress this if the 503 is intended" }],
      });
    }
  },
};
