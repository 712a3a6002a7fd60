/**
 * For GitHub Actions: one workflow command per finding (`::error file=…,line=…::message`), which
 * the runner turns into an annotation on the pull request's diff. Paths are relative to the
 * working directory, which must be the repository root for GitHub to place them.
 */
import type { Diagnostic, Note } from "../../diagnostics/diagnostic.js";
import { formatLocation } from "../../diagnostics/span.js";
import type { LintResult } from "../engine.js";
import { codeTitle, describeCode } from "./describe.js";
import { relativePath } from "./paths.js";

const COMMAND: Record<Diagnostic["severity"], string> = { error: "error", warning: "warning", info: "notice" };

export function formatGithub(result: LintResult, cwd: string): string {
  return result.findings.map((finding) => `${annotation(finding, cwd)}\n`).join("");
}

function annotation(finding: Diagnostic, cwd: string): string {
  const { span } = finding;
  const properties: [string, string | number][] = [];
  if (span) {
    properties.push(["file", relativePath(span.file, cwd)], ["line", span.start.line], ["endLine", span.end.line]);
    // GitHub rejects columns on an annotation that spans lines.
    if (span.start.line === span.end.line) properties.push(["col", span.start.column], ["endColumn", span.end.column]);
  }
  properties.push(["title", codeTitle(describeCode(finding.code))]);
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  const message = [finding.message, ...(finding.notes ?? []).map((note) => noteLine(note, cwd))].join("\n");
  return `::${COMMAND[finding.severity]} ${list}::${escapeData(message)}`;
}

function noteLine(note: Note, cwd: string): string {
  return note.span ? `note: ${note.message} (${formatLocation({ file: relativePath(note.span.file, cwd), start: note.span.start, end: note.span.end })})` : `note: ${note.message}`;
}

/** The runner's own escaping (actions/toolkit, command.ts): `%` first, then line breaks. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values also end at `,` (next property) and `:` (the `::` before the message). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
