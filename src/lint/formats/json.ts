/**
 * For scripts (`jq`, dashboards): one JSON document whose shape is a contract, documented in
 * docs/lint-output.md and versioned by `version` (bumped only when a field changes meaning or goes
 * away; new fields may appear without a bump). Positions are 1-based; end columns are EXCLUSIVE.
 */
import type { Diagnostic, Note } from "../../diagnostics/diagnostic.js";
import type { LintResult } from "../engine.js";
import { describeCode } from "./describe.js";
import { countFindings, type Counts } from "./summary.js";
import { TOOL } from "./tool.js";

export interface JsonReport {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  /** The specs linted, as named. */
  readonly files: readonly string[];
  readonly findings: readonly JsonFinding[];
  readonly summary: Counts;
}

/** Location fields are null for the rare finding that belongs to no place (a file that cannot be read). */
export interface JsonFinding {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly severity: Diagnostic["severity"];
  /** A rule id (`HAP001`) or a compiler code (`HAL1004`). */
  readonly ruleId: string;
  readonly ruleName: string | null;
  readonly message: string;
  readonly notes: readonly JsonNote[];
  /** The rule's documentation page; absent for compiler codes (`halb explain CODE` prints theirs). */
  readonly helpUri?: string;
}

export interface JsonNote {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export function jsonReport(result: LintResult): JsonReport {
  return {
    version: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    files: [...result.specs],
    findings: result.findings.map(jsonFinding),
    summary: countFindings(result.findings),
  };
}

export function formatJson(result: LintResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}

function jsonFinding(finding: Diagnostic): JsonFinding {
  const info = describeCode(finding.code);
  const { span } = finding;
  return {
    file: span?.file ?? null,
    line: span?.start.line ?? null,
    column: span?.start.column ?? null,
    endLine: span?.end.line ?? null,
    endColumn: span?.end.column ?? null,
    severity: finding.severity,
    ruleId: finding.code,
    ruleName: info.name ?? null,
    message: finding.message,
    notes: (finding.notes ?? []).map(jsonNote),
    ...(info.helpUri ? { helpUri: info.helpUri } : {}),
  };
}

function jsonNote(note: Note): JsonNote {
  const { span } = note;
  if (!span) return { message: note.message };
  return { message: note.message, file: span.file, line: span.start.line, column: span.start.column, endLine: span.end.line, endColumn: span.end.column };
}
