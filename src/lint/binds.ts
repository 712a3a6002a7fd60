/**
 * Binds: every one of the spec with the block it belongs to, as the spec writes it, and what it
 * really listens on, node by node, as the kernel sees it: `*:80` and `0.0.0.0:80` are every IPv4
 * address (HAProxy: an empty address or `*` means all IPv4 addresses), `[::]:80` every IPv6
 * address (and IPv4 too, see endpointsOverlap), `vip(N)` and literals one address, `node` the
 * address of the node whose file it is. Also which node or VIP an address is.
 */
import type { ModelBind, ModelFrontend, ModelListen } from "../analyze/model.js";
import type { Span } from "../diagnostics/span.js";
import type { IrBindAddress, IrNode, Mode } from "../ir/types.js";
import { hostPort, isLoopback, isUnspecified, sameAddress } from "./addresses.js";
import type { LintedSpec } from "./linted-spec.js";
import { capitalised, proxyLabel, STATS_PAGE } from "./queries.js";

/** The block a bind belongs to: the frontend or listen itself, or the stats page. */
export type BindOwner = ModelFrontend | ModelListen | { readonly kind: "stats" };

/** A bind with its block (the same object for every bind of one block) and that block's mode. */
export interface OwnedBind extends ModelBind {
  readonly owner: BindOwner;
  readonly mode: Mode;
}

const STATS_OWNER: BindOwner = { kind: "stats" };

/** Every bind of every frontend, listen and the stats page, in the order the spec writes them. */
export function allBinds(spec: LintedSpec): OwnedBind[] {
  const { model, ir } = spec;
  const own = (owner: BindOwner, mode: Mode, binds: readonly ModelBind[]): OwnedBind[] => binds.map((b) => ({ ...b, owner, mode }));
  const binds = [
    ...model.frontends.flatMap((f, i) => own(f, ir.haproxy.frontends[i]!.mode, f.binds)),
    ...model.listens.flatMap((l, i) => own(l, ir.haproxy.listens[i]!.mode, l.binds)),
    ...(model.stats ? own(STATS_OWNER, "http", model.stats.binds) : []),
  ];
  const position = (span: Span): [number, number] => [
    spec.loaded.sections.findIndex((s) => s.span.file === span.file && s.span.start.offset <= span.start.offset && span.start.offset < s.span.end.offset),
    span.start.offset,
  ];
  return binds
    .map((bind) => ({ bind, at: position(bind.span) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1])
    .map(({ bind }) => bind);
}

/** `frontend \`www\``, `listen \`mysql\``, `the stats page`. */
export function ownerText(owner: BindOwner): string {
  return owner.kind === "stats" ? STATS_PAGE : proxyLabel(owner);
}

/** The owner at the start of a sentence: `Frontend \`www\``, `The stats page`. */
export function ownerTitle(owner: BindOwner): string {
  return capitalised(ownerText(owner));
}

/** `vip`, `vip(2)`: how a bind names the VIP at INDEX (0-based). */
export function vipName(index: number): string {
  return index === 0 ? "vip" : `vip(${index + 1})`;
}

/** The bind as the spec writes it: `vip:80`, `vip(2):443`, `node:19088`, `*:80`, `10.0.0.5:80`, `[::1]:80`. */
export function bindText(bind: IrBindAddress): string {
  switch (bind.kind) {
    case "vip":
      return `${vipName(bind.vip)}:${bind.port}`;
    case "node":
      return `node:${bind.port}`;
    case "any":
      return `*:${bind.port}`;
    case "address":
      return hostPort(bind.address, bind.family, bind.port);
  }
}

/** `*:80`, `:80`, `0.0.0.0:80` or `[::]:80`: every address of a family. */
export function isWildcard(bind: IrBindAddress): boolean {
  if (bind.kind === "any") return true;
  if (bind.kind === "node") return false;
  return isUnspecified(bind.address, bind.family);
}

/** One listening address on one node; `address: null` is the family's wildcard. */
export interface Endpoint {
  readonly family: 4 | 6;
  readonly address: string | null;
}

/** What `bind` listens on in `node`'s haproxy.cfg. */
export function endpointOf(bind: IrBindAddress, node: IrNode): Endpoint {
  switch (bind.kind) {
    case "any":
      return { family: 4, address: null };
    case "node":
      return { family: node.family, address: node.address };
    default:
      return { family: bind.family, address: isWildcard(bind) ? null : bind.address };
  }
}

/**
 * Whether two endpoints take the same connections. A wildcard takes every address of its family;
 * `[::]` takes IPv4 too, since HAProxy leaves a bind dual-stack unless told `v6only` (Linux's
 * default `net.ipv6.bindv6only=0`).
 */
export function endpointsOverlap(a: Endpoint, b: Endpoint): boolean {
  if (isDualStackWildcard(a) || isDualStackWildcard(b)) return true;
  if (a.family !== b.family) return false;
  if (a.address === null || b.address === null) return true;
  return sameAddress(a.address, a.family, b.address, b.family);
}

function isDualStackWildcard(endpoint: Endpoint): boolean {
  return endpoint.family === 6 && endpoint.address === null;
}

/** Whether two binds listen on the same port and an overlapping address on some node. */
export function bindsOverlap(spec: LintedSpec, a: IrBindAddress, b: IrBindAddress): boolean {
  return a.port === b.port && spec.ir.cluster.nodes.some((node) => endpointsOverlap(endpointOf(a, node), endpointOf(b, node)));
}

/** Whether clients other than the node itself can connect: on some node it is not a loopback address. */
export function reachableFromOutside(spec: LintedSpec, bind: IrBindAddress): boolean {
  return spec.ir.cluster.nodes.some((node) => {
    const endpoint = endpointOf(bind, node);
    return endpoint.address === null || !isLoopback(endpoint.address, endpoint.family);
  });
}

/** The node whose own address this is, if any. */
export function nodeWithAddress(spec: LintedSpec, address: string, family: 4 | 6): { name: string; span: Span } | undefined {
  const node = spec.model.cluster!.nodes.find((n) => sameAddress(n.address.value, n.family, address, family));
  return node ? { name: node.name.value, span: node.address.span } : undefined;
}

/** The index of the cluster's VIP with this address, or -1. */
export function vipWithAddress(spec: LintedSpec, address: string, family: 4 | 6): number {
  return spec.ir.cluster.vips.findIndex((v) => sameAddress(v.address, v.family, address, family));
}
