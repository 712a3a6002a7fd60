/**
 * The intermediate representation: the only thing the emitters and the runtime read.
 * It mirrors schemas/ir.schema.json (a test keeps the two in step). Durations are whole
 * milliseconds; every list is in the order the spec wrote it, so output order is decided here.
 * The IR never holds a secret taken from the environment, only the variable's name.
 */

export const IR_VERSION = 1;

export type HaproxyVersion = "2.6" | "2.8" | "3.0" | "3.2";
export type KeepalivedVersion = "2.2";

/** A secret: the name of an environment variable (preferred), or a value written in the spec itself. */
export type IrSecret = { readonly env: string } | { readonly value: string };

/**
 * Text for haproxy.cfg that the spec may take from the environment: `{ env }` stays a reference,
 * written as `"${NAME}"` for HAProxy to expand itself (contract §9), with its value in haproxy.env.
 */
export type IrText = string | { readonly env: string };

export interface IrSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Ir {
  readonly irVersion: typeof IR_VERSION;
  /** The spec's file name, for headers and messages. */
  readonly source: string;
  readonly target: { readonly haproxy: HaproxyVersion; readonly keepalived: KeepalivedVersion };
  readonly cluster: IrCluster;
  readonly haproxy: IrHaproxy;
  /** JSON pointer into this IR → where in the spec it came from. */
  readonly sourceMap: Readonly<Record<string, IrSpan>>;
}

// ── Cluster (Keepalived) ─────────────────────────────────────────────────────

export interface IrCluster {
  readonly name: string;
  /** Default interface of VIPs and VRRP adverts; a node may override it. */
  readonly interface: string;
  readonly vips: readonly IrVip[];
  readonly vrrp: IrVrrp;
  readonly tracks: readonly IrTrack[];
  readonly notify: IrNotify;
  /** Where the node's scripts are installed; keepalived.conf refers to them there. */
  readonly scriptsDir: string;
  readonly nodes: readonly IrNode[];
}

export interface IrVip {
  readonly address: string;
  readonly prefix: number;
  readonly family: 4 | 6;
  /** Explicit `dev`; without it the VIP lives on the node's interface. */
  readonly dev?: string;
  readonly label?: string;
}

export interface IrVrrp {
  readonly vrid: number;
  readonly advertIntMs: number;
  readonly auth: IrSecret | null;
  readonly preempt: { readonly mode: "on" } | { readonly mode: "off" } | { readonly mode: "delay"; readonly delayMs: number };
  readonly transport: "multicast" | "unicast";
}

export interface IrTrack {
  /** What is checked; only HAProxy today. */
  readonly target: "haproxy";
  /** The vrrp_script name in keepalived.conf. */
  readonly script: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly fall: number;
  readonly rise: number;
  /** null: a failure puts the instance in FAULT (the fastest failover); otherwise added to the priority while failing (negative). */
  readonly weight: number | null;
}

export interface IrNotify {
  readonly email: IrNotifyEmail | null;
  /** Commands run on every state change with Keepalived's arguments (INSTANCE name STATE priority). */
  readonly exec: readonly string[];
}

export interface IrNotifyEmail {
  readonly to: readonly string[];
  readonly from: string;
  readonly smtp: { readonly host: string; readonly port: number };
}

export interface IrNode {
  readonly name: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly role: "master" | "backup";
  readonly priority: number;
  readonly interface: string;
  /** Keepalived's initial `state`: BACKUP for every node under nopreempt or preempt delay. */
  readonly initialState: "MASTER" | "BACKUP";
}

// ── HAProxy ──────────────────────────────────────────────────────────────────

export interface IrHaproxy {
  readonly global: IrGlobal;
  readonly defaults: IrDefaults;
  readonly stats: IrStats | null;
  readonly frontends: readonly IrFrontend[];
  readonly backends: readonly IrBackend[];
  readonly listens: readonly IrListen[];
}

export interface IrRaw {
  readonly line: string;
}

/** `log global`, or a syslog target. */
export type IrLog =
  | { readonly global: true }
  | { readonly address: IrText; readonly facility: string; readonly level?: string; readonly minLevel?: string };

export interface IrGlobal {
  readonly maxconn?: number;
  readonly logs: readonly IrLog[];
  readonly user?: IrText;
  readonly group?: IrText;
  readonly nbthread?: number;
  readonly chroot?: IrText;
  readonly pidfile?: IrText;
  readonly daemon: boolean;
  readonly statsSocket?: { readonly path: IrText; readonly level: "user" | "operator" | "admin" };
  readonly raw: readonly IrRaw[];
}

export type Mode = "http" | "tcp";

/** Every timeout kind, in the order halb writes them. */
export const TIMEOUT_KINDS = ["connect", "client", "server", "check", "http-request", "http-keep-alive", "queue", "tunnel"] as const;

export type TimeoutKind = (typeof TIMEOUT_KINDS)[number];

export type IrTimeouts = { readonly [K in TimeoutKind]?: number };

export interface IrDefaults {
  readonly mode: Mode;
  readonly retries?: number;
  readonly maxconn?: number;
  readonly timeouts: IrTimeouts;
  readonly logs: readonly IrLog[];
  /** Only options that apply to every proxy whatever its mode; HTTP-only ones are lowered into each HTTP proxy. */
  readonly options: readonly string[];
  readonly raw: readonly IrRaw[];
}

/** Where a proxy listens. `vip` and `node` are resolved per node by whoever executes the IR. */
export type IrBindAddress =
  | { readonly kind: "vip"; readonly vip: number; readonly address: string; readonly family: 4 | 6; readonly port: number }
  | { readonly kind: "node"; readonly port: number }
  | { readonly kind: "address"; readonly address: string; readonly family: 4 | 6; readonly port: number }
  | { readonly kind: "any"; readonly port: number };

export interface IrProxyCommon {
  readonly name: string;
  /** The effective mode (own, else the defaults'). */
  readonly mode: Mode;
  readonly maxconn?: number;
  readonly retries?: number;
  /** Only this proxy's own timeouts; the effective value is this, else the defaults'. */
  readonly timeouts: IrTimeouts;
  readonly logs: readonly IrLog[];
  /** The options in force here besides the defaults' mode-agnostic ones, in canonical order. */
  readonly options: readonly string[];
  readonly raw: readonly IrRaw[];
}

export interface IrAcl {
  /** Generated, readable and unique in its frontend: `host_www_zb_com`, `path_api`. */
  readonly name: string;
  readonly kind: "host" | "path";
  readonly value: string;
}

export interface IrRoute {
  /** ACL names; all must match (HAProxy's `if a b`). */
  readonly acls: readonly string[];
  readonly backend: string;
}

export interface IrFrontend extends IrProxyCommon {
  readonly binds: readonly IrBindAddress[];
  readonly acls: readonly IrAcl[];
  readonly routes: readonly IrRoute[];
  readonly defaultBackend?: string;
}

export type Balance = "roundrobin" | "static-rr" | "leastconn" | "source" | "uri" | "first" | "random";

export interface IrCookie {
  readonly name: IrText;
  readonly method: "insert" | "rewrite" | "prefix";
  readonly indirect: boolean;
  readonly nocache: boolean;
  readonly httponly: boolean;
  readonly secure: boolean;
}

export type IrHealth =
  | {
      readonly kind: "http";
      readonly method: string;
      readonly path: IrText;
      readonly expectStatus?: number;
      readonly intervalMs: number;
      readonly rise: number;
      readonly fall: number;
    }
  | { readonly kind: "tcp"; readonly intervalMs: number; readonly rise: number; readonly fall: number };

export interface IrServer {
  readonly name: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  /** 0–256; HAProxy's default is 1. */
  readonly weight: number;
  readonly backup: boolean;
  readonly maxconn?: number;
  readonly disabled: boolean;
  /** Health-checked: the block has `health` and the server did not say `check off`. */
  readonly check: boolean;
  /** The value of the persistence cookie for this server, when the block has `cookie`. */
  readonly cookie?: string;
}

export interface IrPool {
  readonly balance: Balance;
  readonly cookie?: IrCookie;
  readonly health?: IrHealth;
  readonly servers: readonly IrServer[];
}

export interface IrBackend extends IrProxyCommon, IrPool {}

export interface IrListen extends IrProxyCommon, IrPool {
  readonly binds: readonly IrBindAddress[];
}

export interface IrStatsAuth {
  readonly user: IrText;
  readonly password: IrSecret;
}

export interface IrStats {
  /** The HAProxy section name (`listen stats`). */
  readonly name: string;
  readonly binds: readonly IrBindAddress[];
  readonly uri: IrText;
  readonly realm?: IrText;
  readonly auth: readonly IrStatsAuth[];
  readonly refreshMs?: number;
  readonly hideVersion: boolean;
  readonly admin: boolean;
  readonly logs: readonly IrLog[];
  readonly raw: readonly IrRaw[];
}
