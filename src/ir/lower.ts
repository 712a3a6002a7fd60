/**
 * Model → IR. Every derived decision lives here, once: default values, HTTP-only options pushed
 * from `defaults` into the HTTP proxies only, generated ACL names, each node's priority and
 * initial state, and the source map from IR pointers back to the spec. Only called on a model
 * without errors.
 */
import type { ModelCluster, ModelPool, ModelProxy, ModelSpec, ModelBind, Located } from "../analyze/model.js";
import { hasLogAddress } from "../analyze/checks/logs.js";
import { effectiveMode } from "../analyze/checks/modes.js";
import { isLogFormat, optionInfo, optionOrder } from "../analyze/options.js";
import type { Span } from "../diagnostics/span.js";
import { InternalError } from "../util/internal-error.js";
import { aclName } from "./acl-names.js";
import { DEFAULT_SCRIPTS_DIR, HAPROXY_TRACK_SCRIPT, STATS_SECTION_NAME } from "./names.js";
import { nodePriority } from "./priorities.js";
import {
  IR_VERSION,
  TIMEOUT_KINDS,
  type IrAcl,
  type IrBackend,
  type IrBindAddress,
  type IrCluster,
  type IrFrontend,
  type IrHaproxy,
  type IrListen,
  type IrPool,
  type IrProxyCommon,
  type IrRoute,
  type IrSpan,
  type IrTimeouts,
  type Ir,
  type Mode,
  type TimeoutKind,
} from "./types.js";

/** Timeouts HAProxy warns about when missing; filled into `defaults` when the spec leaves them out. */
export const FALLBACK_TIMEOUTS: Readonly<Partial<Record<TimeoutKind, number>>> = { connect: 5000, client: 30000, server: 30000 };
export const DEFAULT_ADVERT_MS = 1000;
export const DEFAULT_STATS_URI = "/haproxy?stats";

export interface LowerOptions {
  /**
   * Record where each IR value came from (default). Lint leaves it out unless it runs the daemons'
   * checks: on a large spec the map is tens of thousands of entries that no rule reads. Without a
   * map, `map?.add(…)` does not even build the pointer strings.
   */
  readonly sourceMap?: boolean;
}

export function lower(model: ModelSpec, source: string, options: LowerOptions = {}): Ir {
  const map = options.sourceMap === false ? undefined : new SourceMapBuilder();
  if (!model.cluster) throw new InternalError("lowering a spec without a cluster");
  const cluster = lowerCluster(model.cluster, map);
  const haproxy = lowerHaproxy(model, map);
  return {
    irVersion: IR_VERSION,
    source,
    target: { haproxy: model.target, keepalived: "2.2" },
    cluster,
    haproxy,
    sourceMap: map?.entries ?? {},
  };
}

class SourceMapBuilder {
  readonly entries: Record<string, IrSpan> = {};

  add(pointer: string, span: Span | null | undefined): void {
    if (span) this.entries[pointer] = { file: span.file, line: span.start.line, column: span.start.column, endLine: span.end.line, endColumn: span.end.column };
  }
}

function lowerCluster(cluster: ModelCluster, map: SourceMapBuilder | undefined): IrCluster {
  map?.add("/cluster", cluster.span);
  const defaultInterface = cluster.interface?.value ?? cluster.nodes.find((n) => n.interface)?.interface?.value;
  if (!defaultInterface) throw new InternalError("cluster without an interface");
  map?.add("/cluster/interface", cluster.interface?.span);
  map?.add("/cluster/vrrp/vrid", cluster.vrid?.span);
  map?.add("/cluster/vrrp/advertIntMs", cluster.advertMs?.span);
  map?.add("/cluster/vrrp/auth", cluster.auth?.span);
  map?.add("/cluster/vrrp/preempt", cluster.preempt?.span);
  map?.add("/cluster/vrrp/transport", cluster.unicast?.span);
  map?.add("/cluster/notify/email", cluster.notifyEmail?.span);
  const preempt = cluster.preempt?.value ?? { mode: "on" as const };
  return {
    name: cluster.name.value,
    interface: defaultInterface,
    vips: cluster.vips.map(({ span, ...vip }, i) => {
      map?.add(`/cluster/vips/${i}`, span);
      return vip;
    }),
    vrrp: {
      vrid: cluster.vrid?.value ?? 0,
      advertIntMs: cluster.advertMs?.value ?? DEFAULT_ADVERT_MS,
      auth: cluster.auth?.value ?? null,
      preempt,
      transport: cluster.unicast ? "unicast" : "multicast",
    },
    tracks: cluster.tracks.map((track, i) => {
      map?.add(`/cluster/tracks/${i}`, track.span);
      return {
        target: track.target,
        script: i === 0 ? HAPROXY_TRACK_SCRIPT : `${HAPROXY_TRACK_SCRIPT}_${i + 1}`,
        intervalMs: track.intervalMs,
        timeoutMs: track.timeoutMs ?? track.intervalMs,
        fall: track.fall,
        rise: track.rise,
        weight: track.weight,
      };
    }),
    notify: {
      email: cluster.notifyEmail ? { to: cluster.notifyEmail.to, from: cluster.notifyEmail.from, smtp: cluster.notifyEmail.smtp } : null,
      exec: cluster.notifyExec.map((command, i) => {
        map?.add(`/cluster/notify/exec/${i}`, command.span);
        return command.value;
      }),
    },
    scriptsDir: cluster.scriptsDir?.value ?? DEFAULT_SCRIPTS_DIR,
    nodes: cluster.nodes.map((node, i) => {
      map?.add(`/cluster/nodes/${i}`, node.span);
      const role = node.role?.value ?? "backup";
      return {
        name: node.name.value,
        address: node.address.value,
        family: node.family,
        role,
        priority: nodePriority(cluster.nodes, node),
        interface: node.interface?.value ?? defaultInterface,
        // Keepalived ignores nopreempt and preempt_delay on a node that starts as MASTER.
        initialState: role === "master" && preempt.mode === "on" ? "MASTER" : "BACKUP",
      };
    }),
  };
}

function lowerHaproxy(model: ModelSpec, map: SourceMapBuilder | undefined): IrHaproxy {
  const { global, defaults, stats } = model;
  map?.add("/haproxy/global", global.span);
  map?.add("/haproxy/defaults", defaults.span);
  const defaultTimeouts: Partial<Record<TimeoutKind, number>> = { ...FALLBACK_TIMEOUTS, ...timeoutValues(defaults.timeouts) };
  for (const [kind, located] of Object.entries(defaults.timeouts)) map?.add(`/haproxy/defaults/timeouts/${kind}`, located.span);
  const defaultOptions = defaults.options.map((o) => o.value);

  const frontends = model.frontends.map((f, i) => lowerFrontend(model, f, i, defaultOptions, map));
  const backends = model.backends.map((b, i): IrBackend => {
    map?.add(`/haproxy/backends/${i}`, b.span);
    return { ...lowerCommon(model, b, defaultOptions, `/haproxy/backends/${i}`, map), ...lowerPool(b, `/haproxy/backends/${i}`, map) };
  });
  const listens = model.listens.map((l, i): IrListen => {
    map?.add(`/haproxy/listens/${i}`, l.span);
    return { ...lowerCommon(model, l, defaultOptions, `/haproxy/listens/${i}`, map), ...lowerPool(l, `/haproxy/listens/${i}`, map), binds: lowerBinds(l.binds, `/haproxy/listens/${i}`, map) };
  });

  return {
    global: {
      ...(global.maxconn !== undefined ? { maxconn: global.maxconn } : {}),
      logs: global.logs,
      ...(global.user !== undefined ? { user: global.user } : {}),
      ...(global.group !== undefined ? { group: global.group } : {}),
      ...(global.nbthread !== undefined ? { nbthread: global.nbthread } : {}),
      ...(global.chroot !== undefined ? { chroot: global.chroot } : {}),
      ...(global.pidfile !== undefined ? { pidfile: global.pidfile } : {}),
      daemon: global.daemon,
      ...(global.statsSocket !== undefined ? { statsSocket: global.statsSocket } : {}),
      raw: rawLines(global.raw, "/haproxy/global", map),
    },
    defaults: {
      mode: defaults.mode?.value ?? "http",
      ...(defaults.retries !== undefined ? { retries: defaults.retries } : {}),
      ...(defaults.maxconn !== undefined ? { maxconn: defaults.maxconn } : {}),
      timeouts: orderedTimeouts(defaultTimeouts),
      logs: defaults.logs,
      options: canonicalOptions(defaultOptions.filter((name) => isModeAgnostic(name))),
      raw: rawLines(defaults.raw, "/haproxy/defaults", map),
    },
    stats: stats
      ? (map?.add("/haproxy/stats", stats.span),
        {
          name: STATS_SECTION_NAME,
          binds: lowerBinds(stats.binds, "/haproxy/stats", map),
          uri: stats.uri ?? DEFAULT_STATS_URI,
          ...(stats.realm !== null ? { realm: stats.realm } : {}),
          auth: stats.auth.map((a, i) => {
            map?.add(`/haproxy/stats/auth/${i}`, a.span);
            return { user: a.user, password: a.password };
          }),
          ...(stats.refreshMs !== null ? { refreshMs: stats.refreshMs } : {}),
          hideVersion: stats.hideVersion,
          admin: stats.admin,
          logs: stats.logs,
          raw: rawLines(stats.raw, "/haproxy/stats", map),
        })
      : null,
    frontends,
    backends,
    listens,
  };
}

function lowerFrontend(model: ModelSpec, frontend: ModelSpec["frontends"][number], index: number, defaultOptions: readonly string[], map: SourceMapBuilder | undefined): IrFrontend {
  const pointer = `/haproxy/frontends/${index}`;
  map?.add(pointer, frontend.span);
  const acls: IrAcl[] = [];
  const byCondition = new Map<string, string>();
  const taken = new Set<string>();
  const routes: IrRoute[] = frontend.routes.map((route, r) => {
    map?.add(`${pointer}/routes/${r}`, route.span);
    const names = route.conditions.map((condition) => {
      const key = `${condition.kind} ${condition.value}`;
      let name = byCondition.get(key);
      if (!name) {
        name = aclName(condition.kind, condition.value, taken);
        taken.add(name);
        byCondition.set(key, name);
        map?.add(`${pointer}/acls/${acls.length}`, condition.span);
        acls.push({ name, kind: condition.kind, value: condition.value });
      }
      return name;
    });
    map?.add(`${pointer}/routes/${r}/backend`, route.backend.span);
    return { acls: names, backend: route.backend.value };
  });
  map?.add(`${pointer}/defaultBackend`, frontend.defaultBackend?.span);
  return {
    ...lowerCommon(model, frontend, defaultOptions, pointer, map),
    binds: lowerBinds(frontend.binds, pointer, map),
    acls,
    routes,
    ...(frontend.defaultBackend ? { defaultBackend: frontend.defaultBackend.value } : {}),
  };
}

function lowerCommon(model: ModelSpec, proxy: ModelProxy, defaultOptions: readonly string[], pointer: string, map: SourceMapBuilder | undefined): IrProxyCommon {
  const mode = effectiveMode(model, proxy);
  return {
    name: proxy.name.value,
    mode,
    ...(proxy.maxconn !== undefined ? { maxconn: proxy.maxconn } : {}),
    ...(proxy.retries !== undefined ? { retries: proxy.retries } : {}),
    timeouts: orderedTimeouts(timeoutValues(proxy.timeouts)),
    logs: proxy.logs,
    options: proxyOptions(proxy, mode, defaultOptions).filter((name) => !isLogFormat(name) || hasLogAddress(model, proxy)),
    raw: rawLines(proxy.raw, pointer, map),
  };
}

/**
 * The options in force in a proxy beyond the defaults' mode-agnostic ones: its own, plus the
 * defaults' HTTP-only and log-format options where they apply. `httplog` in a TCP proxy becomes
 * `tcplog`, as HAProxy would fall back to it (with a warning we avoid).
 */
function proxyOptions(proxy: ModelProxy, mode: Mode, defaultOptions: readonly string[]): string[] {
  const own = proxy.options.map((o) => o.value);
  const ownLogFormat = own.some(isLogFormat);
  const inherited = defaultOptions.filter((name) => {
    if (isModeAgnostic(name)) return false;
    if (ownLogFormat && isLogFormat(name)) return false;
    const info = optionInfo(name);
    return info !== undefined && info.sections.includes(proxy.kind) && (mode === "http" || !info.httpOnly || name === "httplog");
  });
  const options = [...own, ...inherited].map((name) => (name === "httplog" && mode === "tcp" ? "tcplog" : name));
  return canonicalOptions(options);
}

/** Options a `defaults` section can carry for every proxy without HAProxy warning about any of them. */
function isModeAgnostic(name: string): boolean {
  const info = optionInfo(name);
  return info !== undefined && !info.httpOnly && !isLogFormat(name);
}

function canonicalOptions(options: readonly string[]): string[] {
  return [...new Set(options)].sort((a, b) => optionOrder.indexOf(a) - optionOrder.indexOf(b));
}

function lowerPool(pool: ModelPool, pointer: string, map: SourceMapBuilder | undefined): IrPool {
  map?.add(`${pointer}/balance`, pool.balance?.span);
  map?.add(`${pointer}/cookie`, pool.cookie?.span);
  map?.add(`${pointer}/health`, pool.health?.span);
  return {
    balance: pool.balance?.value ?? "roundrobin",
    ...(pool.cookie ? { cookie: pool.cookie.value } : {}),
    ...(pool.health ? { health: pool.health.value } : {}),
    servers: pool.servers.map((server, i) => {
      map?.add(`${pointer}/servers/${i}`, server.span);
      return {
        name: server.name.value,
        address: server.address,
        family: server.family,
        port: server.port,
        weight: server.weight,
        backup: server.backup,
        ...(server.maxconn !== undefined ? { maxconn: server.maxconn } : {}),
        disabled: server.disabled,
        check: pool.health !== null && !server.checkOff,
        ...(pool.cookie ? { cookie: server.name.value } : {}),
      };
    }),
  };
}

function lowerBinds(binds: readonly ModelBind[], pointer: string, map: SourceMapBuilder | undefined): IrBindAddress[] {
  return binds.map(({ bind, span }, i) => {
    map?.add(`${pointer}/binds/${i}`, span);
    return bind;
  });
}

function timeoutValues(timeouts: Partial<Record<TimeoutKind, Located<number>>>): Partial<Record<TimeoutKind, number>> {
  const out: Partial<Record<TimeoutKind, number>> = {};
  for (const [kind, located] of Object.entries(timeouts) as [TimeoutKind, Located<number>][]) out[kind] = located.value;
  return out;
}

function orderedTimeouts(timeouts: Partial<Record<TimeoutKind, number>>): IrTimeouts {
  const out: Partial<Record<TimeoutKind, number>> = {};
  for (const kind of TIMEOUT_KINDS) if (timeouts[kind] !== undefined) out[kind] = timeouts[kind];
  return out;
}

function rawLines(raw: readonly Located<string>[], pointer: string, map: SourceMapBuilder | undefined): { line: string }[] {
  return raw.map((r, i) => {
    map?.add(`${pointer}/raw/${i}`, r.span);
    return { line: r.value };
  });
}
