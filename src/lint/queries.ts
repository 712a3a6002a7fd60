/**
 * What several rules ask of a spec, answered once: model and IR proxies side by side, effective
 * timeouts, who references a backend, and where statements stand. Lowering keeps the model's
 * order in the IR, so index i of a model list is index i of the IR list.
 */
import ipaddr from "ipaddr.js";
import type { Directive, Section } from "../ast/nodes.js";
import type { ModelBackend, ModelFrontend, ModelListen, ModelProxy } from "../analyze/model.js";
import type { Span } from "../diagnostics/span.js";
import type { IrBackend, IrFrontend, IrListen, IrProxyCommon, TimeoutKind } from "../ir/types.js";
import type { LintedSpec } from "./linted-spec.js";

export type PoolPair = { kind: "backend"; model: ModelBackend; ir: IrBackend } | { kind: "listen"; model: ModelListen; ir: IrListen };
export type ProxyPair = PoolPair | { kind: "frontend"; model: ModelFrontend; ir: IrFrontend };

/** Backends and listens: the blocks that hold servers. */
export function pools(spec: LintedSpec): PoolPair[] {
  const { model, ir } = spec;
  return [
    ...model.backends.map((m, i): PoolPair => ({ kind: "backend", model: m, ir: ir.haproxy.backends[i]! })),
    ...model.listens.map((m, i): PoolPair => ({ kind: "listen", model: m, ir: ir.haproxy.listens[i]! })),
  ];
}

/** Every frontend, listen and backend, in that order. */
export function proxies(spec: LintedSpec): ProxyPair[] {
  const frontends = spec.model.frontends.map((m, i): ProxyPair => ({ kind: "frontend", model: m, ir: spec.ir.haproxy.frontends[i]! }));
  const all = pools(spec);
  return [...frontends, ...all.filter((p) => p.kind === "listen"), ...all.filter((p) => p.kind === "backend")];
}

/** The timeout in force in a proxy (its own, else the defaults'), in ms; undefined when neither sets it. */
export function effectiveTimeout(spec: LintedSpec, proxy: IrProxyCommon, kind: TimeoutKind): number | undefined {
  return proxy.timeouts[kind] ?? spec.ir.haproxy.defaults.timeouts[kind];
}

/** Whether the spec itself wrote the timeout (in the proxy or in defaults), rather than halb's fallback. */
export function writtenTimeout(spec: LintedSpec, proxy: ModelProxy, kind: TimeoutKind): Span | undefined {
  return proxy.timeouts[kind]?.span ?? spec.model.defaults.timeouts[kind]?.span;
}

export interface BackendReference {
  readonly frontend: string;
  /** The target's span in `route … -> NAME` or `default -> NAME`. */
  readonly span: Span;
}

/** Every `route`/`default` target, by backend name. */
export function backendReferences(spec: LintedSpec): Map<string, BackendReference[]> {
  const refs = new Map<string, BackendReference[]>();
  const add = (name: string, ref: BackendReference) => refs.set(name, [...(refs.get(name) ?? []), ref]);
  for (const f of spec.model.frontends) {
    for (const route of f.routes) add(route.backend.value, { frontend: f.name.value, span: route.backend.span });
    if (f.defaultBackend) add(f.defaultBackend.value, { frontend: f.name.value, span: f.defaultBackend.span });
  }
  return refs;
}

/** The AST block a model section came from (matched by span). */
export function sectionAt(spec: LintedSpec, span: Span): Section | undefined {
  return spec.loaded.sections.find((s) => s.span.file === span.file && s.span.start.offset === span.start.offset);
}

/** The statements `name …` written directly in a block. */
export function directivesIn(section: Section | undefined, name: string): Directive[] {
  if (!section) return [];
  return section.body.filter((s): s is Directive => s.kind === "Directive" && s.name === name);
}

/** Where the spec as a whole is: the start of the main file (for findings about something missing). */
export function specStart(spec: LintedSpec): Span {
  const main = spec.loaded.files[0]!.source;
  return main.span(0, 0);
}

/**
 * Whether an address lies in NETWORK/PREFIX. ipaddr.js does the arithmetic; node:net's BlockList
 * would too, but builds objects per call that cost seconds over 20,000 servers.
 */
export function inSubnet(address: string, family: 4 | 6, network: string, prefix: number, networkFamily: 4 | 6): boolean {
  if (family !== networkFamily) return false;
  return parsedIp(address).match(parsedIp(network), prefix);
}

const parsedIps = new Map<string, ipaddr.IPv4 | ipaddr.IPv6>();

function parsedIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  let ip = parsedIps.get(address);
  if (!ip) parsedIps.set(address, (ip = ipaddr.parse(address)));
  return ip;
}

/** `1500` → `1.5s`, `30000` → `30s`, `120000` → `2m`: durations in messages, as a person writes them. */
export function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
