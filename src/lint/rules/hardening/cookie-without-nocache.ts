import { pools, sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * With `cookie … insert`, HAProxy adds `Set-Cookie` to a server's response. If that response is
 * cacheable, a shared cache (CDN, corporate proxy) may store it with the cookie and hand it to
 * every later client, who all stick to one server. `nocache` marks such responses uncacheable.
 */
export const cookieWithoutNocache: SpecRule = {
  meta: {
    id: "HAP034",
    name: "cookie-without-nocache",
    category: "haproxy",
    severity: "info",
    summary: "`cookie … insert` without `nocache`.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      const cookie = pool.model.cookie;
      if (!cookie || cookie.value.method !== "insert" || cookie.value.nocache) continue;
      report({
        span: cookie.span,
        message: `${sentenceLabel(pool.model)} inserts its persistence cookie without \`nocache\`: a shared cache between clients and HAProxy may store a response with one client's \`Set-Cookie\` and pin everyone it serves to that server.`,
        notes: [{ message: "add `nocache` to the `cookie` statement (HAProxy then marks responses that carry the cookie as uncacheable)" }],
      });
    }
  },
};
