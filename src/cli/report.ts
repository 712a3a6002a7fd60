/** Printing diagnostics with code frames for every file the compiler read. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderReport } from "../diagnostics/render.js";
import type { SourceFile } from "../diagnostics/span.js";
import type { LoadedSpec } from "../syntax/load.js";
import { terminalStyle } from "./style.js";

export function sourcesOf(loaded: LoadedSpec | null): Map<string, SourceFile> {
  return new Map((loaded?.files ?? []).map((f) => [f.source.name, f.source]));
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], loaded: LoadedSpec | null): void {
  if (diagnostics.length === 0) return;
  process.stderr.write(renderReport(diagnostics, sourcesOf(loaded), terminalStyle(process.stderr)));
}
