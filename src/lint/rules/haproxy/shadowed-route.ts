import type { ModelRoute } from "../../../analyze/model.js";
import type { Finding, SpecRule } from "../../rule.js";
import { covers, isCatchAll, routeText } from "./routes.js";

/**
 * HAProxy tries `use_backend` rules in order and the first match wins: a route whose requests all
 * match an earlier route never applies, and its traffic goes to the earlier route's backend.
 * Earlier catch-all routes are HAP008's (catch-all-route) to report.
 */
export const shadowedRoute: SpecRule = {
  meta: {
    id: "HAP007",
    name: "shadowed-route",
    category: "haproxy",
    severity: "warning",
    summary: "A route that never matches because an earlier route of the frontend takes every request it would.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const frontend of spec.model.frontends) {
      frontend.routes.forEach((route, j) => {
        const earlier = frontend.routes.slice(0, j).find((r) => !isCatchAll(r) && covers(r, route));
        if (earlier) report(shadowed(earlier, route));
      });
    }
  },
};

function shadowed(earlier: ModelRoute, later: ModelRoute): Finding {
  const duplicate = covers(later, earlier);
  const sameBackend = earlier.backend.value === later.backend.value;
  const message = duplicate
    ? sameBackend
      ? `\`${routeText(later)}\` repeats an earlier route: it never matches, and removing it changes nothing.`
      : `\`${routeText(later)}\` never matches: an earlier route has the same conditions and sends these requests to \`${earlier.backend.value}\`.`
    : `\`${routeText(later)}\` never matches: every request it would take also matches the earlier \`${routeText(earlier)}\`${sameBackend ? ", which sends it to the same backend" : `, which sends it to \`${earlier.backend.value}\``}.`;
  const fix = duplicate || sameBackend ? "remove this route" : "move this more specific route above the earlier one";
  return { span: later.span, message, notes: [{ message: "the earlier route that matches first", span: earlier.span }, { message: fix }] };
}
