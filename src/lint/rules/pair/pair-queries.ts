/**
 * What the pair rules ask of a spec beyond src/lint/queries.ts: exact spans of values inside
 * statements (the model keeps whole statements), address comparisons, and every bind with the
 * block it belongs to.
 */
import type { Arg, Directive, Statement } from "../../../ast/nodes.js";
import type { ModelBind } from "../../../analyze/model.js";
import { joinSpans, type Span } from "../../../diagnostics/span.js";
import type { LintedSpec } from "../../linted-spec.js";
import { inSubnet } from "../../queries.js";

/** The AST statement a model span (a whole `vip`, `server`, `track` … statement) came from. */
export function directiveAt(spec: LintedSpec, span: Span): Directive | undefined {
  const search = (body: readonly Statement[]): Directive | undefined => {
    for (const statement of body) {
      if (statement.kind === "Directive" && sameStart(statement.span, span)) return statement;
      if (statement.kind === "NodeDecl" && statement.body) {
        const inNode = search(statement.body);
        if (inNode) return inNode;
      }
    }
    return undefined;
  };
  for (const section of spec.loaded.sections) {
    if (section.span.file !== span.file) continue;
    const found = search(section.body);
    if (found) return found;
  }
  return undefined;
}

/** The span of argument `index` of the statement at `span`, else the statement itself. */
export function argSpan(spec: LintedSpec, span: Span, index: number): Span {
  return directiveAt(spec, span)?.args[index]?.span ?? span;
}

/** `key VALUE` inside a statement (`weight -20`, `rise 1`), or undefined when the key is not written. */
export function keyValueSpan(spec: LintedSpec, span: Span, key: string): Span | undefined {
  const args = directiveAt(spec, span)?.args ?? [];
  const at = args.findIndex((a: Arg) => a.kind === "word" && a.text === key);
  if (at < 0) return undefined;
  const value = args[at + 1];
  return value ? joinSpans(args[at]!.span, value.span) : args[at]!.span;
}

function sameStart(a: Span, b: Span): boolean {
  return a.file === b.file && a.start.offset === b.start.offset;
}

/** Equal addresses, whatever the IPv6 spelling (`2001:db8::1` and `2001:db8:0::1`). */
export function sameAddress(a: string, aFamily: 4 | 6, b: string, bFamily: 4 | 6): boolean {
  if (aFamily !== bFamily) return false;
  return aFamily === 4 ? a === b : inSubnet(a, 6, b, 128, 6);
}

export function isLoopback(address: string, family: 4 | 6): boolean {
  return family === 4 ? inSubnet(address, 4, "127.0.0.0", 8, 4) : sameAddress(address, 6, "::1", 6);
}

/** `0.0.0.0` or `::`: every address of the host, like `*`. */
export function isUnspecified(address: string, family: 4 | 6): boolean {
  return family === 4 ? address === "0.0.0.0" : sameAddress(address, 6, "::", 6);
}

/** A VIP written with a prefix shorter than a host route: it names a subnet. */
export function hasSubnet(vip: { readonly prefix: number; readonly family: 4 | 6 }): boolean {
  return vip.prefix < (vip.family === 4 ? 32 : 128);
}

export type BindOwner = { readonly kind: "frontend" | "listen"; readonly name: string } | { readonly kind: "stats" };

export interface OwnedBind extends ModelBind {
  readonly owner: BindOwner;
}

/** Every bind of frontends, listens and the stats block, in that order. */
export function allBinds(spec: LintedSpec): OwnedBind[] {
  const { model } = spec;
  return [
    ...model.frontends.flatMap((f) => f.binds.map((b): OwnedBind => ({ ...b, owner: { kind: "frontend", name: f.name.value } }))),
    ...model.listens.flatMap((l) => l.binds.map((b): OwnedBind => ({ ...b, owner: { kind: "listen", name: l.name.value } }))),
    ...(model.stats?.binds ?? []).map((b): OwnedBind => ({ ...b, owner: { kind: "stats" } })),
  ];
}

export function ownerText(owner: BindOwner): string {
  return owner.kind === "stats" ? "`stats`" : `${owner.kind} \`${owner.name}\``;
}

/** A bind as written: `vip:80`, `vip(2):443`, `node:19088`, `*:80`, `10.0.0.5:80`, `[2001:db8::5]:80`. */
export function bindText(bind: ModelBind["bind"]): string {
  switch (bind.kind) {
    case "vip":
      return bind.vip === 0 ? `vip:${bind.port}` : `vip(${bind.vip + 1}):${bind.port}`;
    case "node":
      return `node:${bind.port}`;
    case "any":
      return `*:${bind.port}`;
    case "address":
      return bind.family === 6 ? `[${bind.address}]:${bind.port}` : `${bind.address}:${bind.port}`;
  }
}

/** The node whose own address this is, if any. */
export function nodeWithAddress(spec: LintedSpec, address: string, family: 4 | 6): { name: string; span: Span } | undefined {
  const node = spec.model.cluster!.nodes.find((n) => sameAddress(n.address.value, n.family, address, family));
  return node ? { name: node.name.value, span: node.address.span } : undefined;
}
