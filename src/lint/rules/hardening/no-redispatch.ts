import type { ModelPool } from "../../../analyze/model.js";
import { pools, sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { rawHas } from "../../statements.js";

/**
 * Without `option redispatch`, a connection that fails is retried on the same server only; and a
 * client whose persistence cookie names a dead server keeps being sent to it until health checks
 * mark that server DOWN (forever, without checks). With it, the last retry may go to another
 * server: with two or more servers that is almost always what is wanted.
 */
export const noRedispatch: SpecRule = {
  meta: {
    id: "HAP036",
    name: "no-redispatch",
    category: "haproxy",
    severity: "info",
    summary: "A backend or listen with two or more servers and no `redispatch` (its own or the defaults').",
  },
  scope: "spec",
  check({ spec, report }) {
    const inDefaults = spec.ir.haproxy.defaults.options.includes("redispatch") || rawHas(spec.model.defaults.raw, "option", "redispatch");
    if (inDefaults) return;
    for (const pool of pools(spec)) {
      if (pool.model.servers.length < 2) continue;
      if (pool.ir.options.includes("redispatch") || rawHas(pool.model.raw, "option", "redispatch")) continue;
      report({
        span: pool.model.name.span,
        message: `${sentenceLabel(pool.model)} has ${pool.model.servers.length} servers but no \`redispatch\`: a request whose server stops answering is retried on that same server and fails, though another one is ready${stickyText(pool.model)}.`,
        notes: [{ message: "add `redispatch` to the block, or to `defaults` for every pool" }],
      });
    }
  },
};

/** With a cookie, pinned clients keep failing until the server is marked DOWN, if it ever is. */
function stickyText(pool: ModelPool): string {
  if (!pool.cookie) return "";
  return pool.health ? ", and clients pinned to it by the cookie fail until health checks mark it DOWN" : ", and clients pinned to it by the cookie keep failing, since without `health` it is never marked DOWN";
}
