import type { SuppressionRule } from "../../rule.js";

/** Reported by the engine (src/lint/suppressions.ts) after every rule ran. */
export const unusedSuppression: SuppressionRule = {
  meta: {
    id: "LINT002",
    name: "unused-suppression",
    category: "meta",
    severity: "warning",
    summary: "A `# halb-disable-…` comment that silenced nothing: the finding it was written for is gone.",
  },
  scope: "suppressions",
};
