/**
 * What a lint rule is: stable metadata (id, name, severity, summary, options schema) and a check
 * that reads one compiled spec (or, for project rules, every spec linted together) and reports
 * findings at spans in the .hal source. Rules never print and never throw on valid input.
 */
import type { Note } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { LintedSpec } from "./linted-spec.js";

/** `info` findings never fail a run; `off` turns a rule off. */
export type RuleSeverity = "error" | "warning" | "info";
export type RuleLevel = RuleSeverity | "off";

/** Which file of the pair a rule protects; also the id's prefix (HAP, KA, PAIR, LINT). */
export type RuleCategory = "haproxy" | "keepalived" | "pair" | "meta";

export interface RuleMeta {
  /** Stable forever, never reused: `HAP001`, `KA003`, `PAIR007`, `LINT001`. */
  readonly id: string;
  /** kebab-case, readable, also accepted wherever an id is: `unused-backend`. */
  readonly name: string;
  readonly category: RuleCategory;
  readonly severity: RuleSeverity;
  /** One sentence: what the rule detects. The doc page (docs/rules/ID.md) says the rest. */
  readonly summary: string;
  /** JSON Schema of the rule's options object (validated with ajv), and their defaults. */
  readonly options?: { readonly schema: object; readonly defaults: Readonly<Record<string, unknown>> };
}

export interface Finding {
  readonly span: Span;
  /** One sentence naming the offending value; never a secret. */
  readonly message: string;
  /** Other places that take part (the other node, the earlier route), and how to fix it. */
  readonly notes?: readonly Note[];
}

export interface RuleContext<Options> {
  readonly spec: LintedSpec;
  readonly options: Options;
  report(finding: Finding): void;
}

export interface ProjectContext<Options> {
  /** Every spec linted together that compiled, in the order they were named. */
  readonly specs: readonly LintedSpec[];
  readonly options: Options;
  report(finding: Finding): void;
}

/** Reads one spec. */
export interface SpecRule<Options = Record<string, never>> {
  readonly meta: RuleMeta;
  readonly scope: "spec";
  check(ctx: RuleContext<Options>): void;
}

/** Reads every spec of a run together (e.g. VRIDs reused across a repository's specs). */
export interface ProjectRule<Options = Record<string, never>> {
  readonly meta: RuleMeta;
  readonly scope: "project";
  checkProject(ctx: ProjectContext<Options>): void;
}

/**
 * Reported by the engine itself while it applies inline suppressions (LINT001, LINT002): the rule
 * file carries the metadata and doc, suppressions.ts does the finding.
 */
export interface SuppressionRule {
  readonly meta: RuleMeta;
  readonly scope: "suppressions";
}

/** The registry's view: options were validated against meta.options.schema before a rule runs. */
export type AnyRule = SpecRule<any> | ProjectRule<any> | SuppressionRule;
