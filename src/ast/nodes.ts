/**
 * The syntax tree of a .hal file: what was written, where, with values already decoded
 * (strings unescaped, durations in ms). Meaning is given by src/analyze.
 */
import type { Span } from "../diagnostics/span.js";

export type Arg =
  | { readonly kind: "word"; readonly text: string; readonly span: Span }
  | { readonly kind: "string"; readonly text: string; readonly value: string; readonly span: Span }
  | { readonly kind: "integer"; readonly text: string; readonly value: number; readonly span: Span }
  | { readonly kind: "duration"; readonly text: string; readonly ms: number; readonly span: Span }
  | { readonly kind: "env"; readonly text: string; readonly name: string; readonly span: Span };

export interface Directive {
  readonly kind: "Directive";
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** `route host H path P -> backend`: the conditions stay raw words until analysis pairs them. */
export interface Route {
  readonly kind: "Route";
  readonly conditions: readonly Arg[];
  readonly target: Arg;
  readonly span: Span;
}

export interface DefaultRoute {
  readonly kind: "DefaultRoute";
  readonly target: Arg;
  readonly span: Span;
}

/** `node NAME ADDRESS master|backup [priority N] [{ overrides }]`. */
export interface NodeDecl {
  readonly kind: "NodeDecl";
  readonly args: readonly Arg[];
  readonly body: readonly Statement[] | null;
  readonly keywordSpan: Span;
  readonly span: Span;
}

export interface Include {
  readonly kind: "Include";
  readonly path: Arg;
  readonly span: Span;
}

export type Statement = Directive | Route | DefaultRoute | NodeDecl | Include;

export type SectionKind = "cluster" | "global" | "defaults" | "stats" | "frontend" | "backend" | "listen";

export const sectionKinds: readonly SectionKind[] = ["cluster", "global", "defaults", "stats", "frontend", "backend", "listen"];

export interface Section {
  readonly kind: "Section";
  /** `unknown` for a block whose keyword is not one of the language's; `keyword` says what was written. */
  readonly section: SectionKind | "unknown";
  readonly keyword: string;
  readonly keywordSpan: Span;
  readonly name: Arg | null;
  readonly body: readonly Statement[];
  readonly span: Span;
}

export interface HalFile {
  readonly kind: "File";
  readonly file: string;
  readonly items: readonly (Section | Include)[];
}

export function argText(arg: Arg): string {
  switch (arg.kind) {
    case "string":
      return arg.value;
    default:
      return arg.text;
  }
}
