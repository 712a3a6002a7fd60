/**
 * Every proxy's counters and status, built once from the IR in HAProxy's order. halb writes
 * haproxy.cfg as: the stats `listen`, frontends, listens, backends; HAProxy numbers proxies
 * (`iid`) in that order and the statistics page lists them so. Each proxy has a frontend part,
 * a backend part, or both (a `listen`).
 */
import type { Balance, Ir, IrFrontend, IrHealth, IrServer, Mode } from "../../ir/types.js";
import { InternalError } from "../../util/internal-error.js";
import { BackendStatus } from "./backend-status.js";
import { BackendCounters, FrontendCounters, ServerCounters } from "./counters.js";
import { ServerStatus } from "./server-status.js";

export type StatsProxyKind = "stats" | "frontend" | "listen" | "backend";

export interface StatsFrontend {
  readonly counters: FrontendCounters;
  /** The session limit (`slim`): the proxy's maxconn, else the defaults', else the process's. */
  readonly maxconn: number;
}

export interface StatsServer {
  readonly name: string;
  /** Position in its backend from 1 (HAProxy's `sid`). */
  readonly sid: number;
  readonly maxconn: number | undefined;
  readonly counters: ServerCounters;
  readonly status: ServerStatus;
}

export interface StatsBackend {
  /** The balancing algorithm; null for the stats page's own backend. */
  readonly balance: Balance | null;
  readonly counters: BackendCounters;
  readonly status: BackendStatus;
  readonly servers: readonly StatsServer[];
  /** The backend's `slim`: HAProxy's default fullconn, 10 % of the maxconn of the frontends that can route here, at least 1. */
  readonly fullconn: number;
}

export interface StatsProxy {
  readonly name: string;
  /** HAProxy's proxy id: position in haproxy.cfg from 1. */
  readonly iid: number;
  readonly kind: StatsProxyKind;
  readonly mode: Mode;
  readonly frontend: StatsFrontend | null;
  readonly backend: StatsBackend | null;
}

export interface StatsRegistryOptions {
  /** The process start; counters' ages (`lastchg`, downtime) start here. */
  readonly nowMs: number;
  /** The process's connection limit when the spec sets no global maxconn (HAProxy derives one from `ulimit -n`). */
  readonly processMaxconn: number;
}

export class StatsRegistry {
  readonly startedAtMs: number;
  /** Global maxconn, else the process limit given. */
  readonly processMaxconn: number;
  readonly proxies: readonly StatsProxy[];
  private readonly frontends = new Map<string, StatsFrontend>();
  private readonly backends = new Map<string, StatsBackend>();

  constructor(ir: Ir, options: StatsRegistryOptions) {
    const { haproxy } = ir;
    const nowMs = options.nowMs;
    this.startedAtMs = nowMs;
    this.processMaxconn = haproxy.global.maxconn ?? options.processMaxconn;
    const frontendMaxconn = (own: number | undefined): number => own ?? haproxy.defaults.maxconn ?? this.processMaxconn;
    const routedMaxconn = routedFrontendMaxconn(haproxy.frontends, frontendMaxconn);

    const proxies: StatsProxy[] = [];
    const add = (proxy: Omit<StatsProxy, "iid">): void => {
      const full: StatsProxy = { ...proxy, iid: proxies.length + 1 };
      proxies.push(full);
      if (full.frontend) this.frontends.set(full.name, full.frontend);
      if (full.backend) this.backends.set(full.name, full.backend);
    };

    if (haproxy.stats) {
      const maxconn = frontendMaxconn(undefined);
      add({
        name: haproxy.stats.name,
        kind: "stats",
        mode: "http",
        frontend: { counters: new FrontendCounters(), maxconn },
        backend: makeBackend(null, [], undefined, false, fullconn(maxconn), nowMs),
      });
    }
    for (const frontend of haproxy.frontends) {
      add({
        name: frontend.name,
        kind: "frontend",
        mode: frontend.mode,
        frontend: { counters: new FrontendCounters(), maxconn: frontendMaxconn(frontend.maxconn) },
        backend: null,
      });
    }
    for (const listen of haproxy.listens) {
      const maxconn = frontendMaxconn(listen.maxconn);
      add({
        name: listen.name,
        kind: "listen",
        mode: listen.mode,
        frontend: { counters: new FrontendCounters(), maxconn },
        backend: makeBackend(listen.balance, listen.servers, listen.health, listen.options.includes("allbackups"), fullconn(maxconn), nowMs),
      });
    }
    for (const backend of haproxy.backends) {
      add({
        name: backend.name,
        kind: "backend",
        mode: backend.mode,
        frontend: null,
        backend: makeBackend(
          backend.balance,
          backend.servers,
          backend.health,
          backend.options.includes("allbackups"),
          fullconn(routedMaxconn.get(backend.name) ?? 0),
          nowMs,
        ),
      });
    }
    this.proxies = proxies;
  }

  /** The frontend part of a frontend, listen or stats proxy. */
  frontend(name: string): StatsFrontend {
    const frontend = this.frontends.get(name);
    if (!frontend) throw new InternalError(`no frontend named ${name} in the statistics registry`);
    return frontend;
  }

  /** The backend part of a backend, listen or stats proxy. */
  backend(name: string): StatsBackend {
    const backend = this.backends.get(name);
    if (!backend) throw new InternalError(`no backend named ${name} in the statistics registry`);
    return backend;
  }

  server(backendName: string, serverName: string): StatsServer {
    const server = this.backend(backendName).servers.find((candidate) => candidate.name === serverName);
    if (!server) throw new InternalError(`no server ${backendName}/${serverName} in the statistics registry`);
    return server;
  }
}

function makeBackend(
  balance: Balance | null,
  irServers: readonly IrServer[],
  health: IrHealth | undefined,
  allBackups: boolean,
  slim: number,
  nowMs: number,
): StatsBackend {
  const status = new BackendStatus(allBackups, nowMs);
  const servers = irServers.map((server, index): StatsServer => {
    return {
      name: server.name,
      sid: index + 1,
      maxconn: server.maxconn,
      counters: new ServerCounters(),
      status: new ServerStatus(
        {
          name: server.name,
          weight: server.weight,
          backup: server.backup,
          disabled: server.disabled,
          check: server.check && health !== undefined ? { rise: health.rise, fall: health.fall } : null,
        },
        status,
        nowMs,
      ),
    };
  });
  status.start(nowMs);
  return { balance, counters: new BackendCounters(), status, servers, fullconn: slim };
}

/** HAProxy: fullconn defaults to (Σ maxconn of the frontends that may route here + 9) / 10, at least 1. */
function fullconn(frontendMaxconnSum: number): number {
  return Math.max(1, Math.ceil(frontendMaxconnSum / 10));
}

/** For each backend, the sum of the maxconn of the frontends whose rules can send to it (each frontend once). */
function routedFrontendMaxconn(frontends: readonly IrFrontend[], maxconnOf: (own: number | undefined) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const frontend of frontends) {
    const targets = new Set(frontend.routes.map((route) => route.backend));
    if (frontend.defaultBackend !== undefined) targets.add(frontend.defaultBackend);
    for (const target of targets) sums.set(target, (sums.get(target) ?? 0) + maxconnOf(frontend.maxconn));
  }
  return sums;
}
