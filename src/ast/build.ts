/**
 * Tokens → AST nodes, called by the grammar's actions (src/syntax/parser.ts) as it parses, so no
 * concrete syntax tree is built and walked afterwards: on a large spec that tree cost as much as
 * the parse itself (time, and memory the garbage collector had to copy).
 *
 * Each node is opened when its first token is seen and put into its parent's list at once, then
 * closed when its last token is consumed: when error recovery abandons a statement halfway, the
 * partial node is still there (for includes, editors and lint), with a span up to what was read.
 */
import type { IToken } from "chevrotain";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import { hasPosition, tokenEnd, tokenSpan } from "../syntax/token-span.js";
import * as t from "../syntax/tokens.js";
import { sectionKinds, type Arg, type DefaultRoute, type Directive, type HalFile, type Include, type NodeDecl, type Route, type Section, type SectionKind, type Statement } from "./nodes.js";

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Nodes while the parser fills them in. */
export type OpenSection = Mutable<Section> & { body: Statement[] };
export type OpenRoute = Mutable<Route> & { conditions: Arg[] };
export type OpenNode = Mutable<NodeDecl> & { args: Arg[]; body: Statement[] | null };
export type OpenDirective = Mutable<Directive> & { args: Arg[] };

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** The file's top-level items, in the order written. */
  readonly items: (Section | Include)[] = [];

  constructor(private readonly source: SourceFile) {}

  file(): HalFile {
    return { kind: "File", file: this.source.name, items: this.items };
  }

  openSection(keyword: IToken, name: IToken | undefined): OpenSection {
    return {
      kind: "Section",
      section: sectionKinds.includes(keyword.image as SectionKind) ? (keyword.image as SectionKind) : "unknown",
      keyword: keyword.image,
      keywordSpan: tokenSpan(this.source, keyword),
      name: name && hasPosition(name) ? this.arg(name) : null,
      body: [],
      span: tokenSpan(this.source, keyword),
    };
  }

  openRoute(keyword: IToken): OpenRoute {
    const span = tokenSpan(this.source, keyword);
    return { kind: "Route", conditions: [], target: this.missingArg(keyword), span };
  }

  openDefaultRoute(keyword: IToken): Mutable<DefaultRoute> {
    return { kind: "DefaultRoute", target: this.missingArg(keyword), span: tokenSpan(this.source, keyword) };
  }

  openNode(keyword: IToken): OpenNode {
    const span = tokenSpan(this.source, keyword);
    return { kind: "NodeDecl", args: [], body: null, keywordSpan: span, span };
  }

  openInclude(keyword: IToken): Mutable<Include> {
    return { kind: "Include", path: this.missingArg(keyword), span: tokenSpan(this.source, keyword) };
  }

  openDirective(name: IToken): OpenDirective {
    const span = tokenSpan(this.source, name);
    return { kind: "Directive", name: name.image, nameSpan: span, args: [], span };
  }

  /**
   * Ends a node that began with `first` at `last`, the last token the parser consumed. A
   * statement's span ends with its last word, not with the newline or `;` that ends it.
   */
  close(node: { span: Span }, first: IToken, last: IToken): void {
    if (!hasPosition(last)) return;
    const start = first.startOffset;
    const end = last.tokenType === t.Newline || last.tokenType === t.Semicolon ? last.startOffset : tokenEnd(last);
    node.span = this.source.span(start, Math.max(end, start));
  }

  /** A value token → Arg. A token inserted by recovery becomes an empty word at the previous token's end. */
  arg(tk: IToken, previous?: IToken): Arg {
    if (!hasPosition(tk)) return this.missingArg(previous);
    const span = tokenSpan(this.source, tk);
    const text = tk.image;
    switch (tk.tokenType) {
      case t.QuotedString:
        return { kind: "string", text, value: this.unescape(text.slice(1, -1), span), span };
      case t.UnterminatedString:
        return { kind: "string", text, value: this.unescape(text.slice(1), span), span };
      case t.Integer:
        return { kind: "integer", text, value: Number(text), span };
      case t.Duration: {
        const match = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
        return { kind: "duration", text, ms: Number(match[1]) * DURATION_UNITS[match[2]!]!, span };
      }
      case t.EnvRef:
        return { kind: "env", text, name: text.slice(4, -1), span };
      default:
        return { kind: "word", text, span };
    }
  }

  /** An empty word right after `previous` (else at the end of the file): where recovery found no value. */
  private missingArg(previous: IToken | undefined): Arg {
    const end = previous && hasPosition(previous) ? tokenEnd(previous) : this.source.text.length;
    return { kind: "word", text: "", span: this.source.span(end, end) };
  }

  private unescape(body: string, span: Span): string {
    if (!body.includes("\\")) return body;
    return body.replace(/\\(.?)/g, (whole, char: string) => {
      if (char === '"' || char === "\\") return char;
      if (char === "n") return "\n";
      this.diagnostics.push(diag("HAL1005", span, { text: q(whole) }));
      return char;
    });
  }
}
