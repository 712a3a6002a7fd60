/**
 * One spec as rules see it: the loaded files (text, comments, AST), the analyzed model (values with
 * the spans they came from) and the IR (the effective configuration, defaults applied). Built only
 * for specs that compiled, so every field is present.
 */
import type { Section } from "../ast/nodes.js";
import type { ModelSpec } from "../analyze/model.js";
import type { Ir } from "../ir/types.js";
import type { LoadedSpec } from "../syntax/load.js";

export interface LintedSpec {
  /** The main file as the user named it. */
  readonly file: string;
  readonly loaded: LoadedSpec;
  readonly model: ModelSpec;
  readonly ir: Ir;
}

/** Top-level sections of one kind, in the order written (includes expanded). */
export function sectionsOf(spec: LintedSpec, kind: Section["section"]): Section[] {
  return spec.loaded.sections.filter((s) => s.section === kind);
}
