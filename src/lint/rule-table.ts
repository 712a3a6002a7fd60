/** docs/rules/README.md: the table of every rule, made from the registry so it cannot go stale. */
import type { RuleCategory } from "./rule.js";
import { allRules } from "./rules/index.js";

const CATEGORY_TITLES: Record<RuleCategory, string> = {
  haproxy: "HAProxy (HAPnnn)",
  keepalived: "Keepalived (KAnnn)",
  pair: "Pair and failover (PAIRnnn)",
  meta: "Suppressions (LINTnnn)",
};

export function ruleTableMarkdown(): string {
  const lines = [
    "# halb lint rules",
    "",
    "Generated from `src/lint/rules/` by `npm run gen`; `test/meta/rule-table.test.ts` fails when it is stale.",
    "Each id links to its page: what it detects, a failing and a passing example (both linted by the",
    "test suite), why it matters and how to fix it. `halb explain ID` prints the same page.",
    "",
    `${allRules.length} rules: ${(Object.keys(CATEGORY_TITLES) as RuleCategory[]).map((c) => `${allRules.filter((r) => r.meta.category === c).length} ${c}`).join(", ")}.`,
  ];
  for (const category of Object.keys(CATEGORY_TITLES) as RuleCategory[]) {
    const rules = allRules.filter((r) => r.meta.category === category);
    if (rules.length === 0) continue;
    lines.push("", `## ${CATEGORY_TITLES[category]}`, "", "| id | name | severity | detects |", "| --- | --- | --- | --- |");
    for (const { meta } of rules) lines.push(`| [${meta.id}](${meta.id}.md) | \`${meta.name}\` | ${meta.severity} | ${meta.summary.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}
