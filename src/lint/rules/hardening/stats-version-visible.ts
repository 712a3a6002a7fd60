import type { SpecRule } from "../../rule.js";
import { blockKeyword, rawHas } from "../../statements.js";

/** The stats page prints HAProxy's exact version, which tells an attacker which known flaws to try. */
export const statsVersionVisible: SpecRule = {
  meta: {
    id: "HAP024",
    name: "stats-version-visible",
    category: "haproxy",
    severity: "info",
    summary: "A stats page without `hide-version`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const stats = spec.model.stats;
    if (!stats || stats.hideVersion) return;
    if (rawHas(stats.raw, "stats", "hide-version")) return;
    report({
      span: blockKeyword(spec, stats.span),
      message: "The stats page shows HAProxy's exact version to whoever opens it, which tells an attacker which known vulnerabilities to try.",
      notes: [{ message: "add `hide-version` to the `stats` block" }],
    });
  },
};
