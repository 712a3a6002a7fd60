/**
 * Where hardening findings point: statements the model keeps without a span of their own (global
 * settings, a server's `weight`, a stats password) are found again in the AST of their block.
 */
import type { Arg, Directive, Section } from "../../../ast/nodes.js";
import type { Span } from "../../../diagnostics/span.js";
import type { LintedSpec } from "../../linted-spec.js";
import { directivesIn, sectionAt, specStart } from "../../queries.js";

/** The `global` block, when the spec has one. */
export function globalSection(spec: LintedSpec): Section | undefined {
  const span = spec.model.global.span;
  return span ? sectionAt(spec, span) : undefined;
}

/** For something `global` lacks: its `global` keyword, else the start of the spec. */
export function globalAnchor(spec: LintedSpec): Span {
  return globalSection(spec)?.keywordSpan ?? specStart(spec);
}

/** The first `name …` statement of the `global` block. */
export function globalDirective(spec: LintedSpec, name: string): Directive | undefined {
  return directivesIn(globalSection(spec), name)[0];
}

/** The statement of `section` that starts where `span` starts (a model span of a whole statement). */
export function directiveAt(section: Section | undefined, span: Span): Directive | undefined {
  return section?.body.find((s): s is Directive => s.kind === "Directive" && s.span.start.offset === span.start.offset);
}

/** The value after the last `keyword` among a statement's arguments (`weight 0` → `0`). */
export function argAfter(directive: Directive | undefined, keyword: string): Arg | undefined {
  if (!directive) return undefined;
  for (let i = directive.args.length - 1; i >= 0; i--) {
    const arg = directive.args[i]!;
    if (arg.kind === "word" && arg.text === keyword) return directive.args[i + 1];
  }
  return undefined;
}

/** Raw lines of a block, split into words (`raw "option redispatch"` → `["option", "redispatch"]`). */
export function rawWords(raw: readonly { readonly value: string }[]): string[][] {
  return raw.map((line) => line.value.trim().split(/\s+/));
}
