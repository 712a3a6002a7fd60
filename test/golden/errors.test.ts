/**
 * Error fixtures: every folder under fixtures/errors/ holds an `input.hal` (plus any files it
 * includes, and an optional `env.json`) and an `expected.json` listing exactly the diagnostics
 * compileSpec returns, in order: code, 1-based line and column, message, the file when it is not
 * `input.hal` (relative to the case folder), and notes when the fixture lists them.
 * Cases are errors, except the few codes that are warnings (a case made of warnings alone must
 * still compile to an IR).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../../src/diagnostics/catalog.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { compileSpec, type CompileResult } from "../../src/pipeline.js";
import { caseFolders, REPO_ROOT } from "../helpers/cases.js";

/** Spec names are given relative to the repository root, as a user in the repository would type them. */
const ROOT = REPO_ROOT;
const ERRORS = "fixtures/errors";
const DEFAULT_ENV: Readonly<Record<string, string>> = { VRRP_PASS: "s3cret", STATS_PASS: "pw" };

/**
 * HAL1xxx/HAL2xxx codes that no spec can produce, each with the reason. Keep it empty unless a
 * code is shown to be unreachable from a .hal file.
 */
const UNREACHABLE: ReadonlyMap<string, string> = new Map<string, string>([]);

interface ExpectedNote {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

interface Expected {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly file?: string;
  readonly notes?: readonly ExpectedNote[];
}

const cases = caseFolders(ERRORS);

function readEnv(folder: string): Record<string, string> {
  const path = join(ROOT, folder, "env.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, string>) : { ...DEFAULT_ENV };
}

function readExpected(folder: string): Expected[] {
  return JSON.parse(readFileSync(join(ROOT, folder, "expected.json"), "utf8")) as Expected[];
}

/** Reads relative to the repository root, whatever the working directory of the test run. */
function readFromRoot(path: string): Uint8Array {
  return readFileSync(resolve(ROOT, path));
}

function compileCase(name: string, env: Record<string, string>): CompileResult {
  return compileSpec({ name, readFile: readFromRoot, env });
}

/** A diagnostic in the fixture's shape, keeping exactly the optional parts the fixture states. */
function asExpected(diagnostic: Diagnostic, folder: string, expected: Expected | undefined): Record<string, unknown> {
  const span = diagnostic.span;
  const shape: Record<string, unknown> = {
    code: diagnostic.code,
    line: span?.start.line,
    column: span?.start.column,
    message: diagnostic.message,
  };
  const file = span ? relative(folder, span.file) : undefined;
  if (file !== "input.hal") shape["file"] = file;
  if (expected?.notes !== undefined) {
    shape["notes"] = (diagnostic.notes ?? []).map((note, i) => {
      const wanted = expected.notes?.[i];
      const line = note.span?.start.line;
      const column = note.span?.start.column;
      // A note's position is compared when the fixture gives one, or when the fixture omits it but the compiler gives one.
      return wanted?.line !== undefined || line !== undefined ? { message: note.message, line, column } : { message: note.message };
    });
  }
  return shape;
}

describe("error fixtures", () => {
  it("has at least 15 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(cases)("%s", (name) => {
    const folder = `${ERRORS}/${name}`;
    const env = readEnv(folder);
    const expected = readExpected(folder);
    let result: CompileResult | undefined;
    let thrown: unknown;
    try {
      result = compileCase(`${folder}/input.hal`, env);
    } catch (error) {
      thrown = error;
    }

    it("compiles without an exception escaping", () => {
      expect(thrown).toBeUndefined();
      expect(result).toBeDefined();
    });

    it("reports exactly the expected diagnostics, in order", () => {
      expect(expected.length).toBeGreaterThan(0);
      const actual = (result?.diagnostics ?? []).map((d, i) => asExpected(d, folder, expected[i]));
      expect(actual).toEqual(expected);
    });

    it("gives every diagnostic a span with a line and a column", () => {
      for (const diagnostic of result?.diagnostics ?? []) {
        expect(diagnostic.span, `${diagnostic.code} ${diagnostic.message}`).toBeDefined();
        expect(diagnostic.span!.start.line).toBeGreaterThanOrEqual(1);
        expect(diagnostic.span!.start.column).toBeGreaterThanOrEqual(1);
        expect(diagnostic.span!.end.offset).toBeGreaterThanOrEqual(diagnostic.span!.start.offset);
      }
    });

    it("produces no IR when there is an error (and one when there are only warnings)", () => {
      const hasError = (result?.diagnostics ?? []).some((d) => d.severity === "error");
      if (hasError) expect(result?.ir).toBeNull();
      else expect(result?.ir).not.toBeNull();
    });

    it("never shows a value read from the environment", () => {
      const texts = (result?.diagnostics ?? []).flatMap((d) => [d.message, ...(d.notes ?? []).map((n) => n.message)]);
      for (const value of Object.values(env).filter((v) => v.length >= 4)) {
        for (const text of texts) expect(text).not.toContain(value);
      }
    });
  });

  it("does not echo an over-long VRRP password", () => {
    const folder = `${ERRORS}/auth-pass-too-long`;
    const env = readEnv(folder);
    const secret = env["VRRP_PASS"]!;
    expect(secret.length).toBeGreaterThan(8);
    const result = compileCase(`${folder}/input.hal`, env);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL2006"]);
    const text = JSON.stringify(result.diagnostics);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 8));
  });

  it("finds an include cycle however the main file's path is spelled", () => {
    const folder = `${ERRORS}/include-cycle`;
    for (const name of [`${folder}/input.hal`, `./${folder}/input.hal`, join(ROOT, folder, "input.hal")]) {
      const result = compileCase(name, { ...DEFAULT_ENV });
      const found = result.diagnostics.map((d) => ({ code: d.code, file: d.span && relative(resolve(ROOT, folder), resolve(ROOT, d.span.file)), line: d.span?.start.line }));
      expect(found, name).toEqual([{ code: "HAL1007", file: "pools.hal", line: 2 }]);
    }
  });

  it("covers every HAL1xxx and HAL2xxx code of the catalog, except the listed unreachable ones", () => {
    const covered = new Set(cases.flatMap((name) => readExpected(`${ERRORS}/${name}`).map((d) => d.code)));
    const wanted = Object.keys(catalog).filter((code) => /^HAL[12]\d{3}$/.test(code));
    const missing = wanted.filter((code) => !covered.has(code) && !UNREACHABLE.has(code));
    expect(missing).toEqual([]);
    // An allowlisted code that a fixture does produce is not unreachable.
    expect([...UNREACHABLE.keys()].filter((code) => covered.has(code))).toEqual([]);
    for (const code of UNREACHABLE.keys()) expect(Object.keys(catalog)).toContain(code);
  });
});
