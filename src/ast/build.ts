/**
 * CST → AST. Recovery may leave CST nodes without some children, so every access is defensive:
 * a partial AST is still built (for editors and lint), and later phases are gated on syntax errors.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import { tokenSpan } from "../syntax/token-span.js";
import * as t from "../syntax/tokens.js";
import { sectionKinds, type Arg, type HalFile, type Include, type NodeDecl, type Section, type SectionKind, type Statement } from "./nodes.js";

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function buildAst(source: SourceFile, cst: CstNode): { ast: HalFile; diagnostics: Diagnostic[] } {
  const builder = new AstBuilder(source);
  const items: (Section | Include)[] = [];
  for (const child of nodes(cst, "include")) items.push(builder.include(child));
  for (const child of nodes(cst, "section")) {
    const section = builder.section(child);
    if (section) items.push(section);
  }
  items.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { ast: { kind: "File", file: source.name, items }, diagnostics: builder.diagnostics };
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly source: SourceFile) {}

  include(cst: CstNode): Include {
    const path = this.arg(token(cst, "path"), token(cst, "Include"));
    return { kind: "Include", path, span: this.nodeSpan(cst) };
  }

  section(cst: CstNode): Section | null {
    const keyword = token(cst, "keyword");
    if (!keyword) return null;
    const nameToken = token(cst, "name");
    return {
      kind: "Section",
      section: sectionKinds.includes(keyword.image as SectionKind) ? (keyword.image as SectionKind) : "unknown",
      keyword: keyword.image,
      keywordSpan: tokenSpan(this.source, keyword),
      name: nameToken ? this.arg(nameToken) : null,
      body: this.block(node(cst, "block")),
      span: this.nodeSpan(cst),
    };
  }

  block(cst: CstNode | undefined): Statement[] {
    if (!cst) return [];
    return nodes(cst, "statement")
      .map((statement) => this.statement(statement))
      .filter((s): s is Statement => s !== null)
      .sort((a, b) => a.span.start.offset - b.span.start.offset);
  }

  statement(cst: CstNode): Statement | null {
    const route = node(cst, "route");
    if (route) {
      const first = token(route, "Route");
      return {
        kind: "Route",
        conditions: tokens(route, "condition").map((tk) => this.arg(tk)),
        target: this.arg(token(route, "target"), token(route, "Arrow") ?? first),
        span: this.nodeSpan(route),
      };
    }
    const defaultRoute = node(cst, "defaultRoute");
    if (defaultRoute) {
      return {
        kind: "DefaultRoute",
        target: this.arg(token(defaultRoute, "target"), token(defaultRoute, "Arrow") ?? token(defaultRoute, "Default")),
        span: this.nodeSpan(defaultRoute),
      };
    }
    const nodeDecl = node(cst, "node");
    if (nodeDecl) return this.nodeDecl(nodeDecl);
    const include = node(cst, "include");
    if (include) return this.include(include);
    const directive = node(cst, "directive");
    const name = directive && token(directive, "name");
    if (!directive || !name) return null;
    return {
      kind: "Directive",
      name: name.image,
      nameSpan: tokenSpan(this.source, name),
      args: tokens(directive, "arg").map((tk) => this.arg(tk)),
      span: this.nodeSpan(directive),
    };
  }

  nodeDecl(cst: CstNode): NodeDecl {
    const keyword = token(cst, "Node");
    const block = node(cst, "block");
    return {
      kind: "NodeDecl",
      args: tokens(cst, "arg").map((tk) => this.arg(tk)),
      body: block ? this.block(block) : null,
      keywordSpan: keyword ? tokenSpan(this.source, keyword) : this.nodeSpan(cst),
      span: this.nodeSpan(cst),
    };
  }

  /** A value token → Arg. A token missing after recovery becomes an empty word at the previous token's end. */
  arg(tk: IToken | undefined, previous?: IToken): Arg {
    if (!tk) return { kind: "word", text: "", span: previous ? tokenSpan(this.source, { ...previous, isInsertedInRecovery: true }, previous) : this.source.span(0, 0) };
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

  private unescape(body: string, span: Span): string {
    return body.replace(/\\(.?)/g, (whole, char: string) => {
      if (char === '"' || char === "\\") return char;
      if (char === "n") return "\n";
      this.diagnostics.push(diag("HAL1005", span, { text: q(whole) }));
      return char;
    });
  }

  private nodeSpan(cst: CstNode): Span {
    const bounds = tokenBounds(cst, { first: undefined, last: undefined });
    const { first, last } = bounds;
    if (!first || !last) return this.source.span(0, 0);
    // A statement's span ends with its last word, not with the newline that ends it.
    const end = last.tokenType === t.Newline || last.tokenType === t.Semicolon ? last.startOffset : (last.endOffset ?? last.startOffset) + 1;
    return this.source.span(first.startOffset, Math.max(end, first.startOffset));
  }
}

interface Bounds {
  first: IToken | undefined;
  last: IToken | undefined;
}

/** The first and last real tokens under a CST node (recovery inserts tokens without a position). Walks without copying. */
function tokenBounds(cst: CstNode, bounds: Bounds): Bounds {
  for (const key in cst.children) {
    for (const child of cst.children[key]!) {
      if (isNode(child)) {
        tokenBounds(child, bounds);
        continue;
      }
      if (child.isInsertedInRecovery || !Number.isFinite(child.startOffset)) continue;
      if (!bounds.first || child.startOffset < bounds.first.startOffset) bounds.first = child;
      if (!bounds.last || child.startOffset > bounds.last.startOffset) bounds.last = child;
    }
  }
  return bounds;
}

function isNode(element: CstElement): element is CstNode {
  return "children" in element;
}

function node(cst: CstNode, name: string): CstNode | undefined {
  const found = cst.children[name]?.[0];
  return found && isNode(found) ? found : undefined;
}

function nodes(cst: CstNode, name: string): CstNode[] {
  return (cst.children[name] ?? []).filter(isNode);
}

function token(cst: CstNode, name: string): IToken | undefined {
  const found = cst.children[name]?.[0];
  return found && !isNode(found) ? found : undefined;
}

function tokens(cst: CstNode, name: string): IToken[] {
  return (cst.children[name] ?? []).filter((element): element is IToken => !isNode(element)).sort((a, b) => a.startOffset - b.startOffset);
}
