import type { Note } from "../../../diagnostics/diagnostic.js";
import type { SpecRule } from "../../rule.js";
import { isCatchAll, routeText } from "./routes.js";

/**
 * A route with only `path /` matches every request; anything after it in the frontend (routes,
 * `default ->`) never applies. It is usually a default written as a route, placed too early.
 */
export const catchAllRoute: SpecRule = {
  meta: {
    id: "HAP008",
    name: "catch-all-route",
    category: "haproxy",
    severity: "warning",
    summary: "A route that matches every request while further routes or a `default ->` follow it.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const frontend of spec.model.frontends) {
      const at = frontend.routes.findIndex(isCatchAll);
      if (at < 0) continue;
      const route = frontend.routes[at]!;
      const after = frontend.routes.slice(at + 1);
      const def = frontend.defaultBackend;
      if (after.length === 0 && !def) continue;
      const dead: Note[] = [
        ...after.map((r) => ({ message: `\`${routeText(r)}\` never applies`, span: r.span })),
        ...(def ? [{ message: `\`default -> ${def.value}\` never applies`, span: def.span }] : []),
      ];
      const what = [after.length > 0 ? `the ${after.length === 1 ? "route" : `${after.length} routes`} after it` : "", def ? "the `default`" : ""].filter(Boolean).join(" and ");
      report({
        span: route.span,
        message: `\`${routeText(route)}\` matches every request, so ${what} never ${after.length + (def ? 1 : 0) === 1 ? "applies" : "apply"}.`,
        notes: [...dead, { message: `write it as \`default -> ${route.backend.value}\` (a default applies after every route), or move it last` }],
      });
    }
  },
};
