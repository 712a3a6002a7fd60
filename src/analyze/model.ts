/**
 * The resolved meaning of a spec, before lowering: typed values with the spans they came from,
 * so checks and lint rules can point at the right place. Lowering (src/ir/lower.ts) derives the
 * IR from this: defaults, generated ACL names, initial states, the source map.
 */
import type { Span } from "../diagnostics/span.js";
import type {
  Balance,
  HaproxyVersion,
  IrBindAddress,
  IrCookie,
  IrHealth,
  IrLog,
  IrNotifyEmail,
  IrSecret,
  IrText,
  IrVip,
  Mode,
  TimeoutKind,
} from "../ir/types.js";

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export interface ModelSpec {
  readonly target: HaproxyVersion;
  readonly cluster: ModelCluster | null;
  readonly global: ModelGlobal;
  readonly defaults: ModelProxySettings & { readonly span: Span | null };
  readonly stats: ModelStats | null;
  readonly frontends: ModelFrontend[];
  readonly backends: ModelBackend[];
  readonly listens: ModelListen[];
}

export interface ModelCluster {
  readonly name: Located<string>;
  readonly span: Span;
  /** Statements written in the block, valid or not (see statementCounts). */
  readonly written: ReadonlyMap<string, number>;
  interface: Located<string> | null;
  readonly vips: (IrVip & { readonly span: Span })[];
  vrid: Located<number> | null;
  advertMs: Located<number> | null;
  auth: Located<IrSecret> | null;
  preempt: Located<{ mode: "on" } | { mode: "off" } | { mode: "delay"; delayMs: number }> | null;
  unicast: Located<true> | null;
  readonly tracks: ModelTrack[];
  notifyEmail: (IrNotifyEmail & { readonly span: Span }) | null;
  readonly notifyExec: Located<string>[];
  scriptsDir: Located<string> | null;
  readonly nodes: ModelNode[];
}

export interface ModelTrack {
  readonly target: "haproxy";
  readonly intervalMs: number;
  readonly timeoutMs: number | null;
  readonly fall: number;
  readonly rise: number;
  readonly weight: number | null;
  readonly span: Span;
}

export interface ModelNode {
  readonly name: Located<string>;
  readonly address: Located<string>;
  readonly family: 4 | 6;
  readonly role: Located<"master" | "backup"> | null;
  priority: Located<number> | null;
  interface: Located<string> | null;
  readonly span: Span;
}

export interface ModelGlobal {
  span: Span | null;
  maxconn?: number;
  readonly logs: IrLog[];
  user?: IrText;
  group?: IrText;
  nbthread?: number;
  chroot?: IrText;
  pidfile?: IrText;
  daemon: boolean;
  statsSocket?: { path: IrText; level: "user" | "operator" | "admin" };
  readonly raw: Located<string>[];
}

/** What defaults, frontends, backends and listens share. */
export interface ModelProxySettings {
  mode: Located<Mode> | null;
  maxconn?: number;
  retries?: number;
  readonly timeouts: Partial<Record<TimeoutKind, Located<number>>>;
  readonly logs: IrLog[];
  readonly options: Located<string>[];
  readonly raw: Located<string>[];
}

export type ProxyKind = "frontend" | "backend" | "listen";

export interface ModelProxy extends ModelProxySettings {
  readonly kind: ProxyKind;
  readonly name: Located<string>;
  readonly span: Span;
  /** Statements written in the block, valid or not (see statementCounts). */
  readonly written: ReadonlyMap<string, number>;
}

export interface ModelBind {
  readonly bind: IrBindAddress;
  readonly span: Span;
}

export interface ModelRoute {
  readonly conditions: { readonly kind: "host" | "path"; readonly value: string; readonly span: Span }[];
  readonly backend: Located<string>;
  readonly span: Span;
}

export interface ModelServer {
  readonly name: Located<string>;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly weight: number;
  readonly backup: boolean;
  readonly maxconn?: number;
  readonly disabled: boolean;
  readonly checkOff: boolean;
  readonly span: Span;
}

export interface ModelPool {
  balance: Located<Balance> | null;
  cookie: Located<IrCookie> | null;
  health: Located<IrHealth> | null;
  readonly servers: ModelServer[];
}

export interface ModelFrontend extends ModelProxy {
  readonly kind: "frontend";
  readonly binds: ModelBind[];
  readonly routes: ModelRoute[];
  defaultBackend: Located<string> | null;
}

export interface ModelBackend extends ModelProxy, ModelPool {
  readonly kind: "backend";
}

export interface ModelListen extends ModelProxy, ModelPool {
  readonly kind: "listen";
  readonly binds: ModelBind[];
}

export interface ModelStats {
  readonly span: Span;
  readonly written: ReadonlyMap<string, number>;
  readonly binds: ModelBind[];
  uri: IrText | null;
  realm: IrText | null;
  readonly auth: { user: IrText; password: IrSecret; span: Span }[];
  refreshMs: number | null;
  hideVersion: boolean;
  admin: boolean;
  readonly logs: IrLog[];
  readonly raw: Located<string>[];
}
