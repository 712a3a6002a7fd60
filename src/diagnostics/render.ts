/**
 * Diagnostics as text: `file:line:col  error  HAL2003  message`, a code frame with the line and
 * `^~~~` under the span, then notes. Pure: colour comes in through `Style` (identity in tests).
 */
import type { Diagnostic } from "./diagnostic.js";
import { formatLocation, type SourceFile } from "./span.js";

export interface Style {
  readonly error: (text: string) => string;
  readonly warning: (text: string) => string;
  readonly info: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export const plainStyle: Style = { error: (s) => s, warning: (s) => s, info: (s) => s, dim: (s) => s, bold: (s) => s };

export function renderDiagnostic(diagnostic: Diagnostic, sources: ReadonlyMap<string, SourceFile>, style: Style = plainStyle): string {
  const paint = style[diagnostic.severity];
  const where = diagnostic.span ? `${formatLocation(diagnostic.span)}: ` : "";
  const lines = [`${style.bold(where)}${paint(diagnostic.severity)} ${style.dim(diagnostic.code)} ${diagnostic.message}`];
  const source = diagnostic.span && sources.get(diagnostic.span.file);
  if (diagnostic.span && source) lines.push(...codeFrame(source, diagnostic.span.start.line, diagnostic.span.start.column, diagnostic.span.end.line === diagnostic.span.start.line ? diagnostic.span.end.column : undefined, style, paint));
  for (const note of diagnostic.notes ?? []) {
    const at = note.span ? ` (${formatLocation(note.span)})` : "";
    lines.push(`  ${style.dim("=")} note: ${note.message}${at}`);
  }
  return lines.join("\n");
}

function codeFrame(source: SourceFile, line: number, column: number, endColumn: number | undefined, style: Style, paint: (s: string) => string): string[] {
  const text = source.lineText(line).replace(/\t/g, " ");
  const gutter = String(line).length;
  const width = Math.max(1, (endColumn ?? column + 1) - column);
  const marker = "^" + "~".repeat(Math.max(0, Math.min(width, text.length - column + 2) - 1));
  return [
    `${style.dim(`${" ".repeat(gutter)} |`)}`,
    `${style.dim(`${line} |`)} ${text}`,
    `${style.dim(`${" ".repeat(gutter)} |`)} ${" ".repeat(Math.max(0, column - 1))}${paint(marker)}`,
  ];
}

/** Every diagnostic, then a count: what a person reads at the end of a failed compile. */
export function renderReport(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>, style: Style = plainStyle): string {
  const blocks = diagnostics.map((d) => renderDiagnostic(d, sources, style));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const summary = [errors ? `${errors} error${errors === 1 ? "" : "s"}` : "", warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : ""].filter(Boolean).join(", ");
  return [...blocks, ...(summary ? [summary] : [])].join("\n\n") + "\n";
}
