/**
 * What a bind really listens on, node by node, as the kernel sees it: `*:80` and `0.0.0.0:80` are
 * every IPv4 address (HAProxy: an empty address or `*` means all IPv4 addresses), `[::]:80` every
 * IPv6 address (and IPv4 too, see endpointsOverlap), `vip(N)` and literals one address, `node` the
 * address of the node whose file it is.
 */
import type { ModelBind } from "../../../analyze/model.js";
import type { Span } from "../../../diagnostics/span.js";
import type { IrBindAddress, IrNode } from "../../../ir/types.js";
import type { LintedSpec } from "../../linted-spec.js";
import { inSubnet } from "../../queries.js";

/** One listening address on one node; `address: null` is the family's wildcard. */
export interface Endpoint {
  readonly family: 4 | 6;
  readonly address: string | null;
}

export const STATS_OWNER = "the stats page";

/** A bind with the proxy it belongs to, for messages. */
export interface OwnedBind extends ModelBind {
  /** `frontend \`www\``, `listen \`mysql\``, `the stats page`. */
  readonly owner: string;
  readonly mode: "http" | "tcp";
}

/** Every bind of every frontend, listen and the stats page, in the order the spec writes them. */
export function allBinds(spec: LintedSpec): OwnedBind[] {
  const { model, ir } = spec;
  const own = (owner: string, mode: "http" | "tcp", binds: readonly ModelBind[]): OwnedBind[] => binds.map((b) => ({ ...b, owner, mode }));
  const binds = [
    ...model.frontends.flatMap((f, i) => own(`frontend \`${f.name.value}\``, ir.haproxy.frontends[i]!.mode, f.binds)),
    ...model.listens.flatMap((l, i) => own(`listen \`${l.name.value}\``, ir.haproxy.listens[i]!.mode, l.binds)),
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

/** The owner at the start of a sentence: `Frontend \`www\``, `The stats page`. */
export function ownerTitle(bind: OwnedBind): string {
  return bind.owner.charAt(0).toUpperCase() + bind.owner.slice(1);
}

/** Whether two addresses of one family are the same address (`2001:db8::1` = `2001:db8:0::1`). */
export function sameAddress(a: string, b: string, family: 4 | 6): boolean {
  return inSubnet(a, family, b, family === 4 ? 32 : 128, family);
}

export function isLoopback(address: string, family: 4 | 6): boolean {
  return family === 4 ? inSubnet(address, 4, "127.0.0.0", 8, 4) : sameAddress(address, "::1", 6);
}

/** `*:80`, `:80`, `0.0.0.0:80` or `[::]:80`: every address of a family. */
export function isWildcard(bind: IrBindAddress): boolean {
  if (bind.kind === "any") return true;
  if (bind.kind === "node") return false;
  return sameAddress(bind.address, bind.family === 4 ? "0.0.0.0" : "::", bind.family);
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
  return sameAddress(a.address, b.address, a.family);
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

/** The bind as the spec writes it: `vip:80`, `vip(2):443`, `node:19088`, `*:80`, `[::1]:80`. */
export function bindText(bind: IrBindAddress): string {
  switch (bind.kind) {
    case "vip":
      return `${bind.vip === 0 ? "vip" : `vip(${bind.vip + 1})`}:${bind.port}`;
    case "node":
      return `node:${bind.port}`;
    case "any":
      return `*:${bind.port}`;
    default:
      return bind.family === 6 ? `[${bind.address}]:${bind.port}` : `${bind.address}:${bind.port}`;
  }
}
