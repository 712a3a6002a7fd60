/** docs/rules/README.md lists every rule as the registry has it (regenerate: npm run build && npm run gen). */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ruleTableMarkdown } from "../../src/lint/rule-table.js";
import { allRules } from "../../src/lint/rules/index.js";

it("docs/rules/README.md is up to date", () => {
  const committed = readFileSync(new URL("../../docs/rules/README.md", import.meta.url), "utf8");
  expect(committed, "run npm run build && npm run gen").toBe(ruleTableMarkdown());
});

it("rule ids and names are unique and well formed", () => {
  const ids = allRules.map((r) => r.meta.id);
  const names = allRules.map((r) => r.meta.name);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(names).size).toBe(names.length);
  for (const { meta } of allRules) {
    expect(meta.id).toMatch({ haproxy: /^HAP\d{3}$/, keepalived: /^KA\d{3}$/, pair: /^PAIR\d{3}$/, meta: /^LINT\d{3}$/ }[meta.category]);
    expect(meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  }
});

it("has at least 60 rules, 15 of them about the pair", () => {
  expect(allRules.length).toBeGreaterThanOrEqual(60);
  expect(allRules.filter((r) => r.meta.category === "pair").length).toBeGreaterThanOrEqual(15);
});
