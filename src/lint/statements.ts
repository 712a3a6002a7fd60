/**
 * Where things are written: the model keeps a span per block or statement (`server …`, `vip …`,
 * `track …`), and findings often point at one value inside it (`weight 0`, `dev eth1`). These find
 * the AST block, statement or argument behind a model span, and split `raw` lines into words.
 * Lookups go through an index of the spec's statements by start (built once per spec), so a rule
 * may ask for each of 20,000 servers.
 */
import type { Arg, Directive, Section, Statement } from "../ast/nodes.js";
import type { Located } from "../analyze/model.js";
import { joinSpans, type Span } from "../diagnostics/span.js";
import type { LoadedSpec } from "../syntax/load.js";
import type { LintedSpec } from "./linted-spec.js";
import { specStart } from "./queries.js";

/** By file, then start offset. */
type ByStart<T> = Map<string, Map<number, T>>;

interface StatementIndex {
  readonly sections: ByStart<Section>;
  /** Statements of every block, those inside `node { … }` included. */
  readonly directives: ByStart<Directive>;
  /** Arguments of those statements, built on first use. */
  args?: ByStart<{ readonly directive: Directive; readonly index: number }>;
}

const indexes = new WeakMap<LoadedSpec, StatementIndex>();

function put<T>(map: ByStart<T>, span: Span, value: T): void {
  let inFile = map.get(span.file);
  if (!inFile) map.set(span.file, (inFile = new Map()));
  // The first one written wins, as a search in order would find it.
  if (!inFile.has(span.start.offset)) inFile.set(span.start.offset, value);
}

function at<T>(map: ByStart<T>, span: Span): T | undefined {
  return map.get(span.file)?.get(span.start.offset);
}

function indexOf(spec: LintedSpec): StatementIndex {
  let index = indexes.get(spec.loaded);
  if (index) return index;
  index = { sections: new Map(), directives: new Map() };
  const { directives } = index;
  const add = (body: readonly Statement[]): void => {
    for (const statement of body) {
      if (statement.kind === "Directive") put(directives, statement.span, statement);
      else if (statement.kind === "NodeDecl" && statement.body) add(statement.body);
    }
  };
  for (const section of spec.loaded.sections) {
    put(index.sections, section.span, section);
    add(section.body);
  }
  indexes.set(spec.loaded, index);
  return index;
}

/** The AST block a model block (a proxy, `stats`, `cluster`, `global`) came from, matched by its span. */
export function sectionAt(spec: LintedSpec, span: Span): Section | undefined {
  return at(indexOf(spec).sections, span);
}

/** The keyword of the block at SPAN (`stats`), for a finding about the block as a whole; else SPAN. */
export function blockKeyword(spec: LintedSpec, span: Span): Span {
  return sectionAt(spec, span)?.keywordSpan ?? span;
}

/** The first `name …` statement written directly in the block at BLOCK (a model block's span). */
export function directiveIn(spec: LintedSpec, block: Span, name: string): Directive | undefined {
  return sectionAt(spec, block)?.body.find((s): s is Directive => s.kind === "Directive" && s.name === name);
}

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
  const span = spec.model.global.span;
  return span ? directiveIn(spec, span, name) : undefined;
}

/** The statement a model span of a whole statement (`server`, `vip`, `track`, `auth` …) came from, in any block, `node { … }` included. */
export function directiveAt(spec: LintedSpec, span: Span): Directive | undefined {
  return at(indexOf(spec).directives, span);
}

/** The span of argument INDEX of the statement at SPAN (`vip ADDR …`: 0), else the statement itself. */
export function argSpan(spec: LintedSpec, span: Span, index: number): Span {
  return directiveAt(spec, span)?.args[index]?.span ?? span;
}

/**
 * KEY and its value among the arguments of the statement at SPAN: the last KEY followed by a value,
 * since the analyzer lets the last one win (a KEY written last is some other option's value, as
 * in `label dev`).
 */
function keyAndValue(spec: LintedSpec, span: Span, key: string): [Arg, Arg] | undefined {
  const args = directiveAt(spec, span)?.args ?? [];
  const i = args.findLastIndex((a, i) => a.kind === "word" && a.text === key && i + 1 < args.length);
  return i < 0 ? undefined : [args[i]!, args[i + 1]!];
}

/** The value after KEY in the statement at SPAN (`weight 0` → `0`, `dev eth1` → `eth1`); undefined when KEY is not written. */
export function argAfter(spec: LintedSpec, span: Span, key: string): Arg | undefined {
  return keyAndValue(spec, span, key)?.[1];
}

/** KEY with its value in the statement at SPAN (`weight -20`, `check off`); undefined when KEY is not written. */
export function keyValueSpan(spec: LintedSpec, span: Span, key: string): Span | undefined {
  const found = keyAndValue(spec, span, key);
  return found && joinSpans(found[0].span, found[1].span);
}

/**
 * The argument a model span of one word points at, with the value after it (`connect 5s` in
 * `timeout connect 5s client 30s`); SPAN itself when there is no such argument or no value.
 */
export function wordValueSpan(spec: LintedSpec, span: Span): Span {
  const index = indexOf(spec);
  if (!index.args) {
    const args: NonNullable<StatementIndex["args"]> = new Map();
    for (const inFile of index.directives.values()) {
      for (const directive of inFile.values()) directive.args.forEach((arg, i) => put(args, arg.span, { directive, index: i }));
    }
    index.args = args;
  }
  const found = at(index.args, span);
  const value = found?.directive.args[found.index + 1];
  return value ? joinSpans(span, value.span) : span;
}

/** The words of a raw line, as HAProxy splits them (quotes aside). */
export function rawWords(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** The first word of a raw line: its HAProxy keyword. */
export function rawKeyword(line: string): string {
  return rawWords(line)[0] ?? "";
}

/** Some raw line starts with these words (`rawHas(raw, "option", "redispatch")`). */
export function rawHas(raw: readonly Located<string>[], ...words: readonly string[]): boolean {
  return raw.some((line) => {
    const written = rawWords(line.value);
    return words.every((word, i) => written[i] === word);
  });
}
