/** Compiling a spec the way `halb compile` does, in memory: the files of OUT except the manifest. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { bundleFiles } from "../../src/bundle-files.js";
import { renderReport } from "../../src/diagnostics/render.js";
import type { EmittedFile } from "../../src/emit/types.js";
import { referencedEnv } from "../../src/ir/secrets.js";
import type { Ir } from "../../src/ir/types.js";
import { compileSpec } from "../../src/pipeline.js";

export interface CompiledCase {
  readonly ir: Ir | null;
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics rendered without colour, as a person sees them. */
  readonly report: string;
}

export function compileText(name: string, text: string | undefined, env: Record<string, string>): CompiledCase {
  const result = compileSpec({ name, ...(text !== undefined ? { text } : {}), readFile: (p) => readFileSync(p), env });
  const sources = new Map(result.loaded.files.map((f) => [f.source.name, f.source]));
  const report = result.diagnostics.length > 0 ? renderReport(result.diagnostics, sources) : "";
  if (!result.ir) return { ir: null, files: [], diagnostics: result.diagnostics, report };
  const values = new Map(referencedEnv(result.ir).map((name) => [name, env[name]!]));
  const files = bundleFiles(result.ir, values);
  return { ir: result.ir, files, diagnostics: result.diagnostics, report };
}

export function caseEnv(caseDir: string): Record<string, string> {
  const path = join(caseDir, "env.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, string>) : {};
}
