/**
 * The `;csv` output, as HAProxy 2.6 writes it: a `# ` header line naming every column, then one
 * line per row; every field, the last included, is followed by a comma. A text field is quoted
 * only when it holds a comma, a double quote or a line break, with quotes doubled inside.
 */
import { STAT_COLUMNS, type StatCell } from "./columns.js";
import type { StatsRow } from "./rows.js";

export const CSV_HEADER = `# ${STAT_COLUMNS.join(",")},\n`;

export function renderCsv(rows: readonly StatsRow[]): string {
  const lines = [CSV_HEADER];
  for (const row of rows) lines.push(`${row.cells.map(csvField).join(",")},\n`);
  return lines.join("");
}

function csvField(cell: StatCell): string {
  if (cell === undefined) return "";
  if (typeof cell === "number") return String(cell);
  return /[\n\r,"]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
