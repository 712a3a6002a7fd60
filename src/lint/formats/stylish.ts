/**
 * For people at a terminal: each finding as the compiler prints its diagnostics (location,
 * severity, rule id and name, message, code frame, notes), then one count line. Clean runs print
 * nothing, as ESLint does: silence is the all-clear, and the exit code says it too.
 */
import { renderDiagnostic, type Style } from "../../diagnostics/render.js";
import type { LintResult } from "../engine.js";
import { describeCode } from "./describe.js";
import { countFindings, type Counts } from "./summary.js";

export function formatStylish(result: LintResult, style: Style): string {
  if (result.findings.length === 0) return "";
  const blocks = result.findings.map((finding) => {
    const name = describeCode(finding.code).name;
    // The name rides on the code so renderDiagnostic stays the one place that lays a finding out.
    return renderDiagnostic(name ? { ...finding, code: `${finding.code} (${name})` } : finding, result.sources, style);
  });
  return `${blocks.join("\n\n")}\n\n${summaryLine(countFindings(result.findings), style)}\n`;
}

/** `3 problems (1 error, 1 warning, 1 info)`, painted like the worst of them. */
export function summaryLine(counts: Counts, style: Style): string {
  const total = counts.errors + counts.warnings + counts.infos;
  const text = `${plural(total, "problem")} (${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ${plural(counts.infos, "info")})`;
  const paint = counts.errors ? style.error : counts.warnings ? style.warning : style.info;
  return style.bold(paint(text));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
