/**
 * What several rules ask of a spec as a whole, answered once: model and IR proxies side by side,
 * effective timeouts, who references a backend, where the spec starts; and how messages name
 * proxies and durations. Lowering keeps the model's order in the IR, so index i of a model list is
 * index i of the IR list. (Statements: statements.ts; addresses: addresses.ts; binds: binds.ts.)
 */
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

/** Where the spec as a whole is: the start of the main file (for findings about something missing). */
export function specStart(spec: LintedSpec): Span {
  const main = spec.loaded.files[0]!.source;
  return main.span(0, 0);
}

/** `1500` → `1.5s`, `30000` → `30s`, `120000` → `2m`: durations in messages, as a person writes them. */
export function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `3648` → `3.6s`, `3000` → `3s`: durations computed from several settings, to a tenth of a second. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** `backend \`api\``, `listen \`mysql\``, `frontend \`www\``: a proxy in messages. */
export function proxyLabel(proxy: Pick<ModelProxy, "kind" | "name">): string {
  return `${proxy.kind} \`${proxy.name.value}\``;
}

/** `Backend \`api\``: the label opening a sentence. */
export function sentenceLabel(proxy: Pick<ModelProxy, "kind" | "name">): string {
  return capitalised(proxyLabel(proxy));
}

/** What messages call the `listen stats` section halb writes. */
export const STATS_PAGE = "the stats page";

/** The same text opening a sentence. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
