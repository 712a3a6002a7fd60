import type { ModelRoute } from "../../../analyze/model.js";
import type { Finding, SpecRule } from "../../rule.js";
import { covers, hostLabels, isCatchAll, routeText } from "./routes.js";

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
      const earlierRoutes = new EarlierRoutes();
      for (const route of frontend.routes) {
        const earlier = earlierRoutes.candidates(route).find((r) => !isCatchAll(r) && covers(r, route));
        if (earlier) report(shadowed(earlier, route));
        earlierRoutes.add(route);
      }
    }
  },
};

/**
 * The routes seen so far, indexed so that a frontend with thousands of host routes is not compared
 * pair by pair: an earlier route with a host condition can only cover a later one whose host holds
 * that host's labels as a run, so earlier routes are filed under their first host, and a later
 * route looks up every run of labels of its hosts. Routes without a host condition are always
 * candidates. Candidates come back in the order written, since the first match wins.
 */
class EarlierRoutes {
  private readonly order = new Map<ModelRoute, number>();
  private readonly byHost = new Map<string, ModelRoute[]>();
  private readonly withoutHost: ModelRoute[] = [];

  add(route: ModelRoute): void {
    this.order.set(route, this.order.size);
    const host = route.conditions.find((c) => c.kind === "host");
    if (!host) return void this.withoutHost.push(route);
    const key = hostLabels(host.value).join(".");
    this.byHost.set(key, [...(this.byHost.get(key) ?? []), route]);
  }

  candidates(later: ModelRoute): ModelRoute[] {
    const found = new Set<ModelRoute>(this.withoutHost);
    for (const condition of later.conditions) {
      if (condition.kind !== "host") continue;
      const labels = hostLabels(condition.value);
      for (let from = 0; from < labels.length; from++) {
        for (let to = from + 1; to <= labels.length; to++) for (const r of this.byHost.get(labels.slice(from, to).join(".")) ?? []) found.add(r);
      }
    }
    return [...found].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }
}

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
