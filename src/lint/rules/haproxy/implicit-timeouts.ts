import { FALLBACK_TIMEOUTS } from "../../../ir/lower.js";
import type { TimeoutKind } from "../../../ir/types.js";
import { sectionsOf, type LintedSpec } from "../../linted-spec.js";
import { formatMs, listText, proxyLabel, specStart, STATS_PAGE, writtenTimeout } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { inheritors, statsInherits } from "./timeouts.js";

const KINDS = ["connect", "client", "server"] as const;

/**
 * HAProxy needs `timeout connect`, `client` and `server`; when the spec sets none, halb writes its
 * fallbacks (5s, 30s, 30s) so that HAProxy starts. Those are values nobody chose for this service:
 * too short for slow uploads or long polls, too long to fail over quickly.
 */
export const implicitTimeouts: SpecRule = {
  meta: {
    id: "HAP015",
    name: "implicit-timeouts",
    category: "haproxy",
    severity: "warning",
    summary: "A `timeout connect`, `client` or `server` the spec never sets, so halb's fallback value applies.",
  },
  scope: "spec",
  check({ spec, report }) {
    const where = sectionsOf(spec, "defaults")[0]?.keywordSpan ?? specStart(spec);
    for (const kind of KINDS) {
      if (spec.model.defaults.timeouts[kind]) continue;
      const relying = relyingOn(spec, kind);
      if (relying.length === 0) continue;
      const fallback = formatMs(FALLBACK_TIMEOUTS[kind]!);
      report({
        span: where,
        message: `No \`timeout ${kind}\` is set for ${listText(relying)}: halb writes its fallback \`timeout ${kind} ${fallback}\` into \`defaults\`, a value nobody chose for this service.`,
        notes: [{ message: `write \`timeout ${kind} …\` in \`defaults\` with the value the service needs (HAProxy's own advice is to always set it)` }],
      });
    }
  },
};

/** The proxies (and the stats page) that end up with halb's fallback for `kind`, by name. */
function relyingOn(spec: LintedSpec, kind: TimeoutKind): string[] {
  const names = inheritors(spec, kind)
    // In TCP mode `timeout tunnel` takes over from client/server once the connection is set up.
    .filter((p) => !(p.ir.mode === "tcp" && kind !== "connect" && writtenTimeout(spec, p.model, "tunnel")))
    .map((p) => proxyLabel(p.model));
  return statsInherits(spec, kind) ? [...names, STATS_PAGE] : names;
}
