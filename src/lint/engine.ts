/**
 * `halb lint` as a function: compile each spec (without looking up env values), report the
 * compiler's own diagnostics as findings, run every enabled rule on the specs that compiled and the
 * project rules on all of them together, then apply inline suppressions. Pure apart from readFile.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";
import type { HaproxyVersion } from "../ir/types.js";
import { compileSpec } from "../pipeline.js";
import type { ReadFile } from "../syntax/load.js";
import { settingFor, type LintConfig } from "./config.js";
import type { LintedSpec } from "./linted-spec.js";
import { specStart } from "./queries.js";
import { timed } from "../util/phase-timer.js";
import { ruleById } from "./registry.js";
import type { AnyRule, Finding, RuleLevel } from "./rule.js";
import { allRules } from "./rules/index.js";
import { Suppressions } from "./suppressions.js";

export interface LintInput {
  /** The path as the user named it, or `-`. */
  readonly name: string;
  /** The text, when it is not read from `name` (standard input). */
  readonly text?: string;
}

export interface LintOptions {
  readonly readFile: ReadFile;
  readonly config: LintConfig;
  readonly target?: HaproxyVersion;
  /** Discovery mode: a spec that another linted spec includes is a fragment, not linted alone. */
  readonly skipIncluded?: boolean;
  /** Resolves a file name to an absolute path (for skipIncluded). */
  readonly resolvePath?: (name: string) => string;
  /** Keep each IR's source map, for `--verify` to map the daemons' messages back to the spec. */
  readonly sourceMaps?: boolean;
}

export interface LintResult {
  /** Sorted by file and position. `code` is the rule id (or the compiler's HAL code). */
  readonly findings: readonly Diagnostic[];
  /** Every file read, for code frames. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** The specs linted (after dropping included fragments). */
  readonly specs: readonly string[];
  /** Those that compiled, as the rules saw them (for --verify). */
  readonly linted: readonly LintedSpec[];
  /** A spec could not be read or parsed (exit 2, though it is reported as findings). */
  readonly unreadable: boolean;
}

export function lint(inputs: readonly LintInput[], options: LintOptions): LintResult {
  const { config } = options;
  const target = options.target ?? config.targetHaproxy;
  let compiled = inputs.map((input) => ({
    input,
    result: compileSpec({ name: input.name, ...(input.text !== undefined ? { text: input.text } : {}), readFile: options.readFile, env: {}, envValues: "unknown", validateIr: false, sourceMap: options.sourceMaps === true, ...(target ? { target } : {}) }),
  }));
  if (options.skipIncluded && options.resolvePath) {
    const resolvePath = options.resolvePath;
    const included = new Set(compiled.flatMap((c) => c.result.loaded.files.slice(1).map((f) => resolvePath(f.source.name))));
    compiled = compiled.filter((c) => !included.has(resolvePath(c.input.name)));
  }

  const findings: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const suppressions = new Suppressions();
  const linted: LintedSpec[] = [];
  let unreadable = false;

  for (const { input, result } of compiled) {
    for (const file of result.loaded.files) {
      sources.set(file.source.name, file.source);
      suppressions.addFile(file.source, file.comments);
    }
    for (const d of result.diagnostics) {
      if (d.code.startsWith("HAL1") || d.code === "HAL5001") unreadable = true;
      const level = d.severity === "warning" ? settingFor(config, d.code, "warning").level : d.severity;
      if (level !== "off") findings.push({ ...d, severity: level });
    }
    if (hasErrors(result.diagnostics) || !result.model || !result.ir) continue;
    const spec: LintedSpec = { file: input.name, loaded: result.loaded, model: result.model, ir: result.ir };
    linted.push(spec);
    for (const rule of allRules) if (rule.scope === "spec") runRule(rule, config, findings, spec, (ctx) => rule.check({ spec, ...ctx }));
  }
  for (const rule of allRules) {
    if (rule.scope === "project" && linted.length > 0) runRule(rule, config, findings, linted[0]!, (ctx) => rule.checkProject({ specs: linted, ...ctx }));
  }

  const kept = timed("suppress", () => dedupe(findings).filter((f) => f.severity === "error" && f.code.startsWith("HAL") ? true : !suppressions.covers(f)));
  for (const problem of suppressions.problems()) {
    const level = levelOf(config, problem.code);
    if (level !== "off") kept.push({ code: problem.code, severity: level, message: problem.message, span: problem.span });
  }
  return { findings: sortDiagnostics(kept), sources, specs: compiled.map((c) => c.input.name), linted, unreadable };
}

function levelOf(config: LintConfig, id: string): RuleLevel {
  const rule = ruleById(id);
  return settingFor(config, id, rule?.meta.severity ?? "warning").level;
}

/** Runs one rule at its configured level; a rule that throws is reported, and the run goes on. */
function runRule(
  rule: AnyRule,
  config: LintConfig,
  findings: Diagnostic[],
  where: LintedSpec,
  run: (ctx: { options: Readonly<Record<string, unknown>>; report: (f: Finding) => void }) => void,
): void {
  const { level, options } = settingFor(config, rule.meta.id, rule.meta.severity, rule.meta.options?.defaults);
  if (level === "off") return;
  const report = (f: Finding) => findings.push({ code: rule.meta.id, severity: level, message: f.message, span: f.span, ...(f.notes?.length ? { notes: f.notes } : {}) });
  try {
    timed("rules", () => run({ options, report }));
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    findings.push({ code: "HAL4001", severity: "error", message: `Internal error in rule ${rule.meta.id} (${rule.meta.name}): ${what}. Please report it.`, span: specStart(where) });
  }
}

/** A file included by two specs yields the same finding twice; keep one. */
function dedupe(findings: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.span?.file}|${f.span?.start.offset}|${f.span?.end.offset}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
