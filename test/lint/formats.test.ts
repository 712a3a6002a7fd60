/**
 * The four reports of `halb lint`, on real lint results (rule fixtures, a spec with a syntax error,
 * a spec that cannot be read). SARIF is checked against the official SARIF 2.1.0 JSON schema, taken
 * from an npm package (devDependency) rather than copied into the repository.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import type { Log, Result } from "sarif";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { plainStyle, type Style } from "../../src/diagnostics/render.js";
import { SourceFile } from "../../src/diagnostics/span.js";
import { defaultConfig, withRuleFlags } from "../../src/lint/config.js";
import { lint, type LintResult } from "../../src/lint/engine.js";
import { escapeData, escapeProperty } from "../../src/lint/formats/github.js";
import { FORMAT_NAMES, formatLint, type FormatName } from "../../src/lint/formats/index.js";
import type { JsonReport } from "../../src/lint/formats/json.js";
import { FINGERPRINT_KEY } from "../../src/lint/formats/fingerprint.js";
import { allRules } from "../../src/lint/rules/index.js";
import { HALB_VERSION } from "../../src/version.js";
import { REPO_ROOT } from "../helpers/cases.js";
import { lintCase, lintTexts } from "../helpers/lint-case.js";

const HAP001 = "fixtures/lint/HAP001/fail.hal";
const PAIR001 = "fixtures/lint/PAIR001/fail.hal";
const DOCS = "https://github.com/halb-project/halb/blob/main/docs/rules";

/** Only one rule's findings: the fixtures may trip other rules as the rule set grows. */
function only(result: LintResult, code: string): LintResult {
  return { ...result, findings: result.findings.filter((f) => f.code === code) };
}

const hap = only(lintCase(HAP001), "HAP001");
const pair = only(lintCase(PAIR001), "PAIR001");
const broken = lintTexts(["cluster x {\n  vrid 5\n"]);
const clean = lintTexts([]);
const hapAsInfo = only(lintCase(HAP001, withRuleFlags(defaultConfig(), ["HAP001=info"])), "HAP001");
const unreadable = lint([{ name: "missing.hal" }], {
  readFile: () => {
    throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  },
  config: defaultConfig(),
});

/** Several results as one run, the way `halb lint a.hal b.hal` reports them. */
function merge(...results: LintResult[]): LintResult {
  return {
    findings: results.flatMap((r) => r.findings),
    sources: new Map(results.flatMap((r) => [...r.sources])),
    specs: results.flatMap((r) => r.specs),
    linted: results.flatMap((r) => r.linted),
    unreadable: results.some((r) => r.unreadable),
  };
}

/** HAP001's finding with a note that points somewhere (real notes of these rules carry none yet). */
function withPlacedNote(result: LintResult): LintResult {
  const source = result.sources.get(HAP001)!;
  const routeLine = source.text.split("\n").findIndex((line) => line.includes("route path")) + 1;
  const at = source.lineStarts[routeLine - 1]! + 2;
  const span = source.span(at, at + "route path /api/ -> web".length);
  return { ...result, findings: result.findings.map((f) => ({ ...f, notes: [{ message: "this route was probably meant for it", span }, ...(f.notes ?? [])] })) };
}

/** The same findings as if the spec had been named by its absolute path. */
function absolute(result: LintResult): LintResult {
  return { ...result, findings: result.findings.map((f) => ({ ...f, ...(f.span ? { span: { file: join(REPO_ROOT, f.span.file), start: f.span.start, end: f.span.end } } : {}) })) };
}

const format = (name: FormatName, result: LintResult, style: Style = plainStyle) => formatLint(name, result, { style, cwd: REPO_ROOT });

describe("formatLint", () => {
  it("knows exactly the four formats of the CLI contract", () => {
    expect(FORMAT_NAMES).toEqual(["stylish", "json", "sarif", "github"]);
  });

  it.each(FORMAT_NAMES)("%s ends with a newline, or prints nothing", (name) => {
    for (const result of [hap, pair, broken, clean, unreadable]) {
      const text = format(name, result);
      if (text !== "") expect(text.endsWith("\n")).toBe(true);
    }
  });

  it("prints nothing for a clean run in stylish and github, a complete document in json and sarif", () => {
    expect(clean.findings).toEqual([]);
    expect(format("stylish", clean)).toBe("");
    expect(format("github", clean)).toBe("");
    expect((JSON.parse(format("json", clean)) as JsonReport).findings).toEqual([]);
    expect((JSON.parse(format("sarif", clean)) as Log).runs[0]!.results).toEqual([]);
  });
});

describe("stylish", () => {
  it("prints location, severity, rule id and name, message, code frame, notes and a count", () => {
    expect(format("stylish", hap)).toBe(
      [
        `${HAP001}:23:9: warning HAP001 (unused-backend) Backend \`api\` receives no traffic: no \`route\` and no \`default ->\` names it.`,
        "   |",
        "23 | backend api {",
        "   |         ^~~",
        "  = note: route to it from a frontend, or remove it",
        "",
        "1 problem (0 errors, 1 warning, 0 infos)",
        "",
      ].join("\n"),
    );
  });

  it("reports every spec of a run, notes included, and counts each severity", () => {
    const text = format("stylish", merge(hap, pair, broken, hapAsInfo));
    expect(text).toContain(`${PAIR001}:6:3: error PAIR001 (weight-cannot-failover) When HAProxy dies on \`lb1\``);
    expect(text).toContain("  = note: the master's priority 100");
    expect(text).toContain("example-1.hal:3:1: error HAL1004 (unclosed-block) The block `cluster x` is not closed");
    expect(text).toContain(`${HAP001}:23:9: info HAP001 (unused-backend)`);
    expect(text.trimEnd().split("\n").at(-1)).toBe("4 problems (2 errors, 1 warning, 1 info)");
  });

  it("shows a placed note's location", () => {
    expect(format("stylish", withPlacedNote(hap))).toContain(`  = note: this route was probably meant for it (${HAP001}:13:3)`);
  });

  it("colours only through the Style it is given", () => {
    const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
    const style: Style = { error: tag("e"), warning: tag("w"), info: tag("i"), dim: tag("d"), bold: tag("b") };
    const text = format("stylish", merge(hap, pair));
    const painted = format("stylish", merge(hap, pair), style);
    expect(painted).not.toMatch(/\u001b\[/);
    expect(painted).toContain("<w>warning</w> <d>HAP001 (unused-backend)</d>");
    expect(painted).toContain("<b><e>2 problems (1 error, 1 warning, 0 infos)</e></b>");
    expect(painted.replace(/<\/?[ewidb]>/g, "")).toBe(text);
  });
});

describe("json", () => {
  const parse = (result: LintResult) => JSON.parse(format("json", result)) as JsonReport;

  it("has the documented shape", () => {
    expect(parse(hap)).toEqual({
      version: 1,
      tool: { name: "halb", version: HALB_VERSION },
      files: [HAP001],
      findings: [
        {
          file: HAP001,
          line: 23,
          column: 9,
          endLine: 23,
          endColumn: 12,
          severity: "warning",
          ruleId: "HAP001",
          ruleName: "unused-backend",
          message: "Backend `api` receives no traffic: no `route` and no `default ->` names it.",
          notes: [{ message: "route to it from a frontend, or remove it" }],
          helpUri: `${DOCS}/HAP001.md`,
        },
      ],
      summary: { errors: 0, warnings: 1, infos: 0 },
    });
  });

  it("keeps notes, with their place when they have one", () => {
    expect(parse(pair).findings[0]!.notes).toEqual([{ message: expect.stringContaining("the master's priority 100") }]);
    expect(parse(withPlacedNote(hap)).findings[0]!.notes[0]).toEqual({
      message: "this route was probably meant for it",
      file: HAP001,
      line: 13,
      column: 3,
      endLine: 13,
      endColumn: 26,
    });
  });

  it("reports compiler errors by code and catalog name, without a rule page", () => {
    const [finding] = parse(broken).findings;
    expect(finding).toMatchObject({ file: "example-1.hal", line: 3, column: 1, severity: "error", ruleId: "HAL1004", ruleName: "unclosed-block", notes: [] });
    expect(finding).not.toHaveProperty("helpUri");
  });

  it("gives a finding that belongs to no place null locations", () => {
    const report = parse(unreadable);
    expect(report.files).toEqual(["missing.hal"]);
    expect(report.findings[0]).toMatchObject({ file: null, line: null, column: null, endLine: null, endColumn: null, ruleId: "HAL5001", severity: "error" });
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 0 });
  });
});

describe("github", () => {
  it("prints one workflow command per finding, notes folded into the message", () => {
    expect(format("github", merge(hap, pair))).toBe(
      [
        `::warning file=${HAP001},line=23,endLine=23,col=9,endColumn=12,title=HAP001 unused-backend::Backend \`api\` receives no traffic: no \`route\` and no \`default ->\` names it.%0Anote: route to it from a frontend, or remove it`,
        `::error file=${PAIR001},line=6,endLine=6,col=3,endColumn=49,title=PAIR001 weight-cannot-failover::${escapeData(pair.findings[0]!.message)}%0Anote: ${escapeData(pair.findings[0]!.notes![0]!.message)}`,
        "",
      ].join("\n"),
    );
  });

  it("maps info to ::notice, and names a placed note's location", () => {
    expect(format("github", hapAsInfo)).toMatch(/^::notice file=/);
    expect(format("github", withPlacedNote(hap))).toContain(`%0Anote: this route was probably meant for it (${HAP001}:13:3)%0A`);
  });

  it("reports compiler errors and placeless findings", () => {
    expect(format("github", broken)).toBe("::error file=example-1.hal,line=3,endLine=3,col=1,endColumn=1,title=HAL1004 unclosed-block::The block `cluster x` is not closed: expected `}` before the end of the file.\n");
    expect(format("github", unreadable)).toBe(`::error title=HAL5001 cannot-read::${escapeData(unreadable.findings[0]!.message)}\n`);
    expect(format("stylish", unreadable)).toMatch(/^error HAL5001 \(cannot-read\) Cannot read missing\.hal/);
  });

  it("escapes data and properties exactly as the runner reads them", () => {
    expect(escapeData("100% a:b, c\r\nd")).toBe("100%25 a:b, c%0D%0Ad");
    expect(escapeProperty("100% a:b, c\r\nd")).toBe("100%25 a%3Ab%2C c%0D%0Ad");
    // `%` goes first, or the `%` of every other escape would be escaped again.
    expect(escapeData("%0A")).toBe("%250A");

    const source = new SourceFile("odd, name: 50%.hal", "backend api {\n  balance leastconn\n}\n");
    const finding: Diagnostic = {
      code: "HAP001",
      severity: "warning",
      message: "Line one: 50% done, more\nline two",
      span: source.span(0, 20),
      notes: [{ message: "fix: a, b" }],
    };
    const text = format("github", { findings: [finding], sources: new Map([[source.name, source]]), specs: [source.name], linted: [], unreadable: false });
    const lines = text.split("\n");
    expect(lines).toHaveLength(2);
    // A span over two lines carries no columns: GitHub rejects them there.
    expect(lines[0]).toBe("::warning file=odd%2C name%3A 50%25.hal,line=1,endLine=2,title=HAP001 unused-backend::Line one: 50%25 done, more%0Aline two%0Anote: fix: a, b");
  });

  it("names files relative to the working directory with forward slashes", () => {
    const text = formatLint("github", absolute(hap), { style: plainStyle, cwd: join(REPO_ROOT, "fixtures") });
    expect(text).toContain("::warning file=lint/HAP001/fail.hal,");
  });
});

describe("sarif", () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  // The schema's `language` pattern has a stray `]` that is only legal without the `u` flag.
  // CommonJS modules: under NodeNext their default import is module.exports, whose `default` is the export.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
  const sarif = (result: LintResult, cwd = REPO_ROOT) => JSON.parse(formatLint("sarif", result, { style: plainStyle, cwd })) as Log;
  const results = (log: Log): Result[] => log.runs[0]!.results!;

  const cases: [string, LintResult][] = [
    ["HAP001", hap],
    ["PAIR001", pair],
    ["syntax error", broken],
    ["clean", clean],
    ["info", hapAsInfo],
    ["placed note", withPlacedNote(hap)],
    ["unreadable", unreadable],
    ["all together", merge(hap, pair, broken, hapAsInfo, withPlacedNote(hap), unreadable)],
  ];
  it.each(cases)("validates against the SARIF 2.1.0 schema: %s", (_, result) => {
    const log = sarif(result);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
  });

  it("the schema really rejects a broken log", () => {
    const log = sarif(hap) as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = "info";
    expect(validate(log)).toBe(false);
  });

  it("describes the driver and every rule halb has", () => {
    const { driver } = sarif(clean).runs[0]!.tool;
    expect(driver).toMatchObject({ name: "halb", semanticVersion: HALB_VERSION, informationUri: "https://github.com/halb-project/halb" });
    expect(driver.rules!.map((r) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    const rule = driver.rules!.find((r) => r.id === "HAP001")!;
    expect(rule).toMatchObject({
      name: "unused-backend",
      shortDescription: { text: allRules.find((r) => r.meta.id === "HAP001")!.meta.summary },
      fullDescription: { text: expect.stringMatching(/^A `backend` that no frontend sends traffic to: .* names it\. \(`listen` blocks/) },
      help: { markdown: readFileSync(join(REPO_ROOT, "docs/rules/HAP001.md"), "utf8"), text: expect.stringContaining(`${DOCS}/HAP001.md`) },
      helpUri: `${DOCS}/HAP001.md`,
      defaultConfiguration: { level: "warning" },
      properties: { category: "haproxy", tags: ["haproxy"] },
    });
  });

  it("adds the compiler codes that occur, and points ruleIndex at each result's rule", () => {
    const log = sarif(merge(hap, pair, broken));
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules.filter((r) => r.id.startsWith("HAL")).map((r) => r.id)).toEqual(["HAL1004"]);
    expect(rules.find((r) => r.id === "HAL1004")).toMatchObject({ name: "unclosed-block", defaultConfiguration: { level: "error" }, properties: { category: "compiler" } });
    expect(results(log).map((r) => r.ruleId)).toEqual(["HAP001", "PAIR001", "HAL1004"]);
    for (const r of results(log)) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it("maps error → error, warning → warning, info → note", () => {
    const levels = results(sarif(merge(pair, hap, hapAsInfo))).map((r) => [r.ruleId, r.level]);
    expect(levels).toEqual([
      ["PAIR001", "error"],
      ["HAP001", "warning"],
      ["HAP001", "note"],
    ]);
  });

  it("locates results relative to %SRCROOT%, the working directory", () => {
    const log = sarif(hap);
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(REPO_ROOT).href}/` } });
    const [result] = results(log);
    expect(result!.message.text).toBe("Backend `api` receives no traffic: no `route` and no `default ->` names it.\nnote: route to it from a frontend, or remove it");
    expect(result!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: HAP001, uriBaseId: "%SRCROOT%" }, region: { startLine: 23, startColumn: 9, endLine: 23, endColumn: 12 } } },
    ]);
    const fromFixtures = results(sarif(absolute(hap), join(REPO_ROOT, "fixtures")))[0]!;
    expect(fromFixtures.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe("lint/HAP001/fail.hal");
    const outside = results(sarif(absolute(hap), join(REPO_ROOT, "src")))[0]!;
    expect(outside.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: pathToFileURL(join(REPO_ROOT, HAP001)).href });
  });

  it("turns placed notes into related locations", () => {
    const [result] = results(sarif(withPlacedNote(hap)));
    expect(result!.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: "this route was probably meant for it" },
        physicalLocation: { artifactLocation: { uri: HAP001, uriBaseId: "%SRCROOT%" }, region: { startLine: 13, startColumn: 3, endLine: 13, endColumn: 26 } },
      },
    ]);
    expect(results(sarif(pair))[0]).not.toHaveProperty("relatedLocations");
  });

  it("fingerprints a finding by rule, file and line text, so it survives lines moving", () => {
    const text = readFileSync(join(REPO_ROOT, HAP001), "utf8");
    const [before] = results(sarif(only(lintTexts([text]), "HAP001")));
    const [after] = results(sarif(only(lintTexts([`# two new lines\n\n${text}`]), "HAP001")));
    expect(after!.locations![0]!.physicalLocation!.region!.startLine).toBe(before!.locations![0]!.physicalLocation!.region!.startLine! + 2);
    expect(after!.partialFingerprints).toEqual(before!.partialFingerprints);
    expect(before!.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}:1$/);
    const [renamed] = results(sarif(only(lintTexts([text.replace(/\bapi\b/g, "apis")]), "HAP001")));
    expect(renamed!.partialFingerprints).not.toEqual(before!.partialFingerprints);
  });

  it("numbers identical fingerprints in one file", () => {
    const twice = merge(hap, { ...hap, findings: hap.findings.map((f) => ({ ...f, severity: "info" as const })) });
    const prints = results(sarif(twice)).map((r) => r.partialFingerprints![FINGERPRINT_KEY]!);
    expect(prints[0]!.replace(/:1$/, ":2")).toBe(prints[1]);
  });

  it("reports a spec that cannot be read as a tool notification, not a result", () => {
    const run = sarif(unreadable).runs[0]!;
    expect(run.results).toEqual([]);
    expect(run.invocations).toEqual([
      { executionSuccessful: false, toolExecutionNotifications: [{ descriptor: { id: "HAL5001" }, level: "error", message: { text: unreadable.findings[0]!.message } }] },
    ]);
    expect(sarif(hap).runs[0]!.invocations).toEqual([{ executionSuccessful: true }]);
  });
});
