import { proxies } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { refusal } from "./pools.js";
import { rawRoutesOrAnswers } from "./raw-lines.js";

/**
 * A frontend with no `route` and no `default ->` accepts traffic on the VIP and has nowhere to
 * send it. Raw lines that choose a backend or answer themselves (a redirect to HTTPS) count.
 */
export const frontendWithoutBackend: SpecRule = {
  meta: {
    id: "HAP009",
    name: "frontend-without-backend",
    category: "haproxy",
    severity: "error",
    summary: "A frontend with no `route` and no `default ->`: it accepts traffic and serves none.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const frontend of proxies(spec)) {
      if (frontend.kind !== "frontend") continue;
      const { model } = frontend;
      if (model.routes.length > 0 || model.defaultBackend || rawRoutesOrAnswers(model.raw)) continue;
      report({
        span: model.name.span,
        message: `Frontend \`${model.name.value}\` has no \`route\` and no \`default ->\`: it listens, and ${refusal(frontend)}.`,
        notes: [{ message: "add `default -> BACKEND` (and `route` lines for the traffic that goes elsewhere)" }],
      });
    }
  },
};
