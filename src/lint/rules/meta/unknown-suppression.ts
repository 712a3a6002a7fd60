import type { SuppressionRule } from "../../rule.js";

/** Reported by the engine (src/lint/suppressions.ts) while it applies `# halb-disable-…` comments. */
export const unknownSuppression: SuppressionRule = {
  meta: {
    id: "LINT001",
    name: "unknown-suppression",
    category: "meta",
    severity: "warning",
    summary: "A `# halb-disable-…` comment that names no rule, or a rule halb does not have.",
  },
  scope: "suppressions",
};
