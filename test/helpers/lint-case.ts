/**
 * Linting fixtures from disk: names stay relative to the repository root (as a user in the
 * repository types them), so findings carry `fixtures/lint/ID/fail.hal` whatever the test's cwd.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { defaultConfig, type LintConfig } from "../../src/lint/config.js";
import { lint, type LintResult } from "../../src/lint/engine.js";
import { REPO_ROOT } from "./cases.js";

export const readFromRepo = (path: string): Uint8Array => readFileSync(resolve(REPO_ROOT, path));

/** Lints a `.hal` file, or every `.hal` directly in a folder together (for project rules). */
export function lintCase(path: string, config: LintConfig = defaultConfig()): LintResult {
  const full = resolve(REPO_ROOT, path);
  const names = statSync(full).isDirectory()
    ? readdirSync(full)
        .filter((f) => f.endsWith(".hal"))
        .sort()
        .map((f) => join(path, f))
    : [path];
  return lint(
    names.map((name) => ({ name })),
    { readFile: readFromRepo, config },
  );
}

/** Lints texts given in memory (doc examples), named `example-N.hal`. */
export function lintTexts(texts: readonly string[], config: LintConfig = defaultConfig()): LintResult {
  const files = new Map(texts.map((text, i) => [`example-${i + 1}.hal`, text]));
  return lint(
    [...files.keys()].map((name) => ({ name, text: files.get(name)! })),
    {
      readFile: (path) => {
        const text = files.get(path);
        if (text === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
        return new TextEncoder().encode(text);
      },
      config,
    },
  );
}

/** Compiler errors: a fixture that does not compile cannot show a rule's findings. */
export function compileErrors(result: LintResult): Diagnostic[] {
  return result.findings.filter((f) => f.code.startsWith("HAL") && f.severity === "error");
}

export function caseExists(path: string): boolean {
  return existsSync(resolve(REPO_ROOT, path));
}
