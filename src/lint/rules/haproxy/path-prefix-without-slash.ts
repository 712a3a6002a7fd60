import type { SpecRule } from "../../rule.js";
import { routeConditions } from "./routes.js";

/**
 * `path_beg /api` is a plain string prefix: it matches `/api/v1`, and also `/apiary` and `/api-old`,
 * which then go to the API's backend.
 */
export const pathPrefixWithoutSlash: SpecRule = {
  meta: {
    id: "HAP012",
    name: "path-prefix-without-slash",
    category: "haproxy",
    severity: "info",
    summary: "A `route path P` whose P does not end in `/`, so it also matches longer names (`/api` takes `/apiary`).",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const condition of routeConditions(spec)) {
      if (condition.kind !== "path" || condition.value.endsWith("/")) continue;
      report({
        span: condition.span,
        message: `\`path ${condition.value}\` is a string prefix: it also matches \`${condition.value}-old\` and \`${condition.value}x\`, not only \`${condition.value}/…\`.`,
        notes: [{ message: `write \`path ${condition.value}/\` to match the folder (a request for \`${condition.value}\` itself then needs its own route or the default)` }],
      });
    }
  },
};
