/**
 * For GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers: a SARIF
 * 2.1.0 log with one run. The driver lists every rule halb has (so a viewer can show a rule's page
 * even for a clean run) plus the compiler codes that occur; results point into the .hal sources.
 * Positions: 1-based lines, UTF-16 columns, exclusive end column — SARIF's own conventions.
 */
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import type { Diagnostic, Severity } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { LintResult } from "../engine.js";
import { allRules } from "../rules/index.js";
import { describeCode, describeRule, type CodeInfo } from "./describe.js";
import { FINGERPRINT_KEY, Fingerprints } from "./fingerprint.js";
import { artifactLocation, relativePath, rootUri, SRCROOT } from "./paths.js";
import { TOOL } from "./tool.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export function sarifLog(result: LintResult, cwd: string): Log {
  const rules = ruleTable(result.findings);
  const fingerprints = new Fingerprints();
  const located = result.findings.filter((f) => f.span);
  // A finding with no place (a spec that cannot be read) is not an alert on code: SARIF reports it
  // as a tool notification, and code scanning would reject a result without a location.
  const placeless = result.findings.filter((f) => !f.span);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: TOOL.informationUri,
            rules: rules.descriptors,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(cwd) } },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: !placeless.some((f) => f.severity === "error"),
            ...(placeless.length ? { toolExecutionNotifications: placeless.map(notification) } : {}),
          },
        ],
        results: located.map((finding) => sarifResult(finding, rules.index.get(finding.code)!, result, cwd, fingerprints)),
      },
    ],
  };
}

export function formatSarif(result: LintResult, cwd: string): string {
  return `${JSON.stringify(sarifLog(result, cwd), null, 2)}\n`;
}

/** Every rule in registry order, then each other code as it first occurs; `index` gives ruleIndex. */
function ruleTable(findings: readonly Diagnostic[]): { descriptors: ReportingDescriptor[]; index: Map<string, number> } {
  const infos: CodeInfo[] = allRules.map(describeRule);
  const index = new Map(infos.map((info, i) => [info.id, i]));
  for (const finding of findings) {
    if (!finding.span || index.has(finding.code)) continue;
    index.set(finding.code, infos.length);
    infos.push(describeCode(finding.code));
  }
  return { descriptors: infos.map(descriptor), index };
}

function descriptor(info: CodeInfo): ReportingDescriptor {
  return {
    id: info.id,
    ...(info.name ? { name: info.name } : {}),
    shortDescription: { text: info.summary },
    fullDescription: { text: info.description },
    help: { text: info.helpUri ? `${info.description}\n\n${info.helpUri}` : info.description, markdown: info.doc ?? info.description },
    ...(info.helpUri ? { helpUri: info.helpUri } : {}),
    ...(info.defaultSeverity ? { defaultConfiguration: { level: LEVEL[info.defaultSeverity] } } : {}),
    properties: { category: info.category, tags: [info.category] },
  };
}

function sarifResult(finding: Diagnostic, ruleIndex: number, lint: LintResult, cwd: string, fingerprints: Fingerprints): Result {
  const span = finding.span!;
  const related = (finding.notes ?? []).flatMap((note) => (note.span ? [{ message: note.message, span: note.span }] : []));
  const lineText = lint.sources.get(span.file)?.lineText(span.start.line) ?? "";
  return {
    ruleId: finding.code,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: messageText(finding) },
    locations: [location(span, cwd)],
    ...(related.length ? { relatedLocations: related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...location(r.span, cwd) })) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints.next(finding.code, relativePath(span.file, cwd), lineText) },
  };
}

function location(span: Span, cwd: string): Location {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(span.file, cwd),
      region: { startLine: span.start.line, startColumn: span.start.column, endLine: span.end.line, endColumn: span.end.column },
    },
  };
}

/** The message, then each note on its own line: notes carry the fix, and viewers show only text. */
function messageText(finding: Diagnostic): string {
  return [finding.message, ...(finding.notes ?? []).map((note) => `note: ${note.message}`)].join("\n");
}

function notification(finding: Diagnostic): Notification {
  return { descriptor: { id: finding.code }, level: LEVEL[finding.severity], message: { text: messageText(finding) } };
}
