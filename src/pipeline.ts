/**
 * The compiler as one function: load (with includes) → analyze → lower → validate. Each phase
 * runs only if the one before found no errors, so every reported problem is real and not a
 * consequence of an earlier one. Pure apart from `readFile`.
 */
import { analyze } from "./analyze/analyze.js";
import type { ModelSpec } from "./analyze/model.js";
import { diag } from "./diagnostics/create.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { lower } from "./ir/lower.js";
import type { HaproxyVersion, Ir } from "./ir/types.js";
import { validateIr } from "./ir/validate.js";
import { loadSpecFile, loadSpecText, type LoadedSpec, type ReadFile } from "./syntax/load.js";
import { timed } from "./util/phase-timer.js";

export interface CompileInput {
  /** The spec's name as the user gave it; `-` reads `text` as standard input. */
  readonly name: string;
  /** The text, when it is not read from `name` (standard input, tests). */
  readonly text?: string;
  readonly readFile: ReadFile;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `unknown` when linting: env(NAME) is never looked up, so no secret is needed (see AnalyzeContext). */
  readonly envValues?: "required" | "unknown";
  readonly target?: HaproxyVersion;
  /**
   * Check the IR against schemas/ir.schema.json (default). The check guards the files halb writes
   * against a bug in lowering; lint writes nothing and skips it.
   */
  readonly validateIr?: boolean;
  /** Build the IR's source map (default); see LowerOptions. */
  readonly sourceMap?: boolean;
}

export interface CompileResult {
  readonly loaded: LoadedSpec;
  readonly model: ModelSpec | null;
  readonly ir: Ir | null;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileSpec(input: CompileInput): CompileResult {
  // Phase timings (HALB_TIMINGS=1, see util/phase-timer.ts): `parse` is lexing and parsing, the
  // reading of the files (with includes) being counted apart as `read`.
  const readFile: ReadFile = (path) => timed("read", () => input.readFile(path));
  const loaded = timed("parse", () => (input.text === undefined ? loadSpecFile(input.name, readFile) : loadSpecText(input.name, input.text, readFile)));
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (hasErrors(diagnostics)) return { loaded, model: null, ir: null, diagnostics: sortDiagnostics(diagnostics) };

  const main = loaded.files[0]?.source;
  const analyzed = timed("analyze", () =>
    analyze(loaded.sections, {
      env: input.env,
      ...(input.envValues ? { envValues: input.envValues } : {}),
      ...(input.target ? { target: input.target } : {}),
      ...(main ? { specStart: main.span(0, 0) } : {}),
    }),
  );
  diagnostics.push(...analyzed.diagnostics);
  if (hasErrors(diagnostics)) return { loaded, model: analyzed.model, ir: null, diagnostics: sortDiagnostics(diagnostics) };

  const ir = timed("lower", () => lower(analyzed.model, displayName(input.name), { sourceMap: input.sourceMap !== false }));
  if (input.validateIr !== false) for (const error of timed("validate", () => validateIr(ir))) diagnostics.push(diag("HAL3001", undefined, { pointer: error.pointer, message: error.message }));
  return { loaded, model: analyzed.model, ir: hasErrors(diagnostics) ? null : ir, diagnostics: sortDiagnostics(diagnostics) };
}

/** The spec's file name without folders, as written into headers (`zb.hal`, or `stdin`). */
function displayName(name: string): string {
  if (name === "-") return "stdin";
  return name.split(/[\\/]/).pop() || name;
}
