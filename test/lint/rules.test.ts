/**
 * Every rule, proven on its fixtures and its doc page:
 * - fixtures/lint/ID/expected.json maps each case (a .hal file, or a folder whose .hal files are
 *   linted together) to exactly the findings of rule ID it must produce: line, column, and the file
 *   when it is not the case itself. At least one case must fail and one must pass.
 * - docs/rules/ID.md has the sections every page has; its "Failing example" must produce the rule
 *   and its "Passing example" must not (several ```hal blocks are linted together as one project).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../../src/lint/rules/index.js";
import { REPO_ROOT } from "../helpers/cases.js";
import { caseExists, compileErrors, lintCase, lintTexts } from "../helpers/lint-case.js";

interface ExpectedFinding {
  readonly line: number;
  readonly column: number;
  readonly file?: string;
}

const DOC_SECTIONS = ["## What it detects", "## Failing example", "## Passing example", "## Why it matters", "## How to fix"];

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))("%s", (id, rule) => {
  const dir = `fixtures/lint/${id}`;

  it("has fixtures with a failing and a passing case", () => {
    expect(caseExists(join(dir, "expected.json")), `${dir}/expected.json`).toBe(true);
    const expected = readExpected(dir);
    expect(Object.values(expected).some((list) => list.length > 0), "a failing case").toBe(true);
    expect(Object.values(expected).some((list) => list.length === 0), "a passing case").toBe(true);
  });

  const cases = caseExists(join(dir, "expected.json")) ? Object.entries(readExpected(dir)) : [];
  it.each(cases)("fixture %s", (name, expected) => {
    const path = join(dir, name);
    const result = lintCase(path);
    if (rule.meta.category !== "meta") expect(compileErrors(result)).toEqual([]);
    const found = result.findings
      .filter((f) => f.code === id)
      .map((f) => ({ line: f.span!.start.line, column: f.span!.start.column, file: f.span!.file }));
    const defaultFile = name.endsWith(".hal") ? path : undefined;
    expect(found).toEqual(expected.map((e) => ({ line: e.line, column: e.column, file: e.file ? join(dir, e.file) : defaultFile })));
  });

  it("has a doc page whose examples behave", () => {
    const page = resolve(REPO_ROOT, "docs/rules", `${id}.md`);
    expect(caseExists(page), `docs/rules/${id}.md`).toBe(true);
    const text = readFileSync(page, "utf8");
    expect(text.split("\n")[0]).toBe(`# ${id} ${rule.meta.name}`);
    for (const heading of DOC_SECTIONS) expect(text, heading).toContain(`\n${heading}\n`);
    const failing = halBlocks(text, "## Failing example");
    const passing = halBlocks(text, "## Passing example");
    expect(failing.length).toBeGreaterThan(0);
    expect(passing.length).toBeGreaterThan(0);
    const failed = lintTexts(failing);
    if (rule.meta.category !== "meta") expect(compileErrors(failed)).toEqual([]);
    expect(failed.findings.filter((f) => f.code === id).length).toBeGreaterThan(0);
    const passed = lintTexts(passing);
    expect(compileErrors(passed)).toEqual([]);
    expect(passed.findings.filter((f) => f.code === id)).toEqual([]);
  });
});

function readExpected(dir: string): Record<string, ExpectedFinding[]> {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, dir, "expected.json"), "utf8")) as Record<string, ExpectedFinding[]>;
}

/** The ```hal blocks between a heading and the next `## `. */
function halBlocks(text: string, heading: string): string[] {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const end = text.indexOf("\n## ", start + heading.length + 2);
  const section = text.slice(start, end < 0 ? text.length : end);
  return [...section.matchAll(/```hal\n([\s\S]*?)```/g)].map((m) => m[1]!);
}
