/**
 * Everything one node runs for one IR: the statistics registry, backends with their live servers,
 * frontends, the stats page, and the health checks feeding server state. `halb run` keeps one of
 * these serving; a reload builds a new one and hands it the listening sockets, while the old one
 * finishes the requests it has (see LoadBalancer).
 */
import type { Socket } from "node:net";
import type { Server as HttpServer } from "node:http";
import type { Ir, IrNode } from "../ir/types.js";
import { type CheckedTarget, checkPassed, type CheckResult, healthCheckLine, recordCheck as recordHealth, HealthScheduler, healthTargetsFromIr, runCheckOverNetwork, stateChangeLines } from "./health/index.js";
import { listenAddress } from "./listen-addresses.js";
import type { Binding } from "./listener-set.js";
import { BackendRuntime } from "./proxy/backend-runtime.js";
import { ClientConnection } from "./proxy/client-connection.js";
import { FrontendRuntime, proxyLogs, routingOf } from "./proxy/frontend-runtime.js";
import type { LiveServer } from "./proxy/live-server.js";
import type { ProcessState } from "./proxy/process-state.js";
import { type Environment, proxySettings } from "./proxy/settings.js";
import { createStatsServer } from "./proxy/stats-listener.js";
import { startTcpSession } from "./proxy/tcp-session.js";
import { type AdminEvent, applyAdminAction, resolveStatsSettings, StatsRegistry } from "./stats/index.js";
import { mergedRegistry, type RegistrySnapshot, snapshotRegistry } from "./stats/merge.js";
import type { PeerEvent, Peers } from "./cluster/messages.js";
import { createHash } from "node:crypto";

export interface NodeRuntimeOptions {
  readonly node: IrNode;
  readonly env: Environment;
  readonly process: ProcessState;
  /** The process's connection limit when the spec sets no global maxconn. */
  readonly processMaxconn: number;
  /** Set in a worker of `threads N`: worker 0 runs the checks and tells the others. */
  readonly peers?: Peers | undefined;
}

export class NodeRuntime {
  readonly registry: StatsRegistry;
  readonly backends = new Map<string, BackendRuntime>();
  readonly bindings: Binding[] = [];
  readonly #scheduler: HealthScheduler;
  readonly #statsServer: HttpServer | null = null;
  readonly #sockets = new Set<Socket>();
  readonly #clients = new Set<ClientConnection>();
  readonly #frontends: FrontendRuntime[] = [];
  readonly #process: ProcessState;
  readonly #peers: Peers | undefined;
  /** Tells this configuration's counters from another's (a reload in progress in another worker). */
  readonly #configuration: string;

  constructor(
    readonly ir: Ir,
    options: NodeRuntimeOptions,
  ) {
    const { haproxy } = ir;
    this.#process = options.process;
    this.#peers = options.peers;
    this.#configuration = createHash("sha256").update(JSON.stringify(ir)).digest("hex");
    this.registry = new StatsRegistry(ir, { nowMs: Date.now(), processMaxconn: options.processMaxconn });
    for (const pool of [...haproxy.listens, ...haproxy.backends]) {
      this.backends.set(pool.name, new BackendRuntime(pool, haproxy.defaults, this.registry.backend(pool.name), options.env));
    }
    const track = (socket: Socket): void => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    };
    for (const proxy of [...haproxy.frontends, ...haproxy.listens]) {
      const frontend = new FrontendRuntime(
        proxySettings(proxy, haproxy.defaults),
        this.registry.frontend(proxy.name),
        options.process,
        routingOf(proxy, this.backends),
        proxyLogs(proxy.logs, haproxy.defaults, haproxy.global),
      );
      this.#frontends.push(frontend);
      const handle =
        proxy.mode === "http"
          ? (socket: Socket) => {
              const client = new ClientConnection(socket, frontend);
              this.#clients.add(client);
              socket.once("close", () => this.#clients.delete(client));
            }
          : (socket: Socket) => startTcpSession(socket, frontend);
      for (const address of proxy.binds.map((bind) => listenAddress(bind, options.node))) {
        this.bindings.push({
          host: address.host,
          port: address.port,
          onVip: address.onVip,
          owner: proxy.name,
          maxConnections: frontend.maxconn,
          handle: (socket) => {
            track(socket);
            frontend.serveConnection(socket, handle);
          },
        });
      }
    }
    if (haproxy.stats) {
      const { settings, problems } = resolveStatsSettings(haproxy.stats, {
        clusterName: ir.cluster.name,
        nodeName: options.node.name,
        resolveEnv: (name) => options.env[name],
      });
      for (const problem of problems) options.process.log.event(problem);
      const frontend = new FrontendRuntime(
        { ...proxySettings({ ...haproxy.stats, mode: "http", timeouts: {}, options: [] }, haproxy.defaults), name: haproxy.stats.name },
        this.registry.frontend(haproxy.stats.name),
        options.process,
        { kind: "none" },
        proxyLogs(haproxy.stats.logs, haproxy.defaults, haproxy.global),
      );
      const statsServer = createStatsServer({
        registry: () => this.#registryForPage(),
        settings,
        frontend,
        onAdminAction: (event) => this.#adminAction(event),
      });
      this.#statsServer = statsServer;
      for (const address of haproxy.stats.binds.map((bind) => listenAddress(bind, options.node))) {
        this.bindings.push({
          host: address.host,
          port: address.port,
          onVip: address.onVip,
          owner: haproxy.stats.name,
          maxConnections: 0,
          handle: (socket) => {
            track(socket);
            frontend.serveConnection(socket, () => statsServer.emit("connection", socket));
          },
        });
      }
    }
    this.#scheduler = this.#healthChecks(options.env);
  }

  start(): void {
    if (!this.#peers || this.#peers.index === 0) this.#scheduler.start();
  }

  snapshot(): RegistrySnapshot {
    return snapshotRegistry(this.registry, this.#configuration);
  }

  /** A change another worker made: a check result (from worker 0) or an admin action. */
  applyPeerEvent(event: PeerEvent): void {
    if (event.kind === "check") {
      const backend = this.backends.get(event.proxy);
      const server = backend?.server(event.server);
      if (!backend || !server) return;
      recordOn(backend, server, event.result, event.health);
      return;
    }
    const backend = this.backends.get(event.backend);
    const server = backend?.server(event.server);
    if (!backend || !server) return;
    applyAdminAction(event.action, server.stats.status, Date.now());
    backend.serverChanged(server);
  }

  /** The registry the statistics page shows: with `threads N`, every worker's counters added up. */
  async #registryForPage(): Promise<StatsRegistry> {
    if (!this.#peers || this.#peers.count < 2) return this.registry;
    const others = await this.#peers.collectSnapshots();
    return mergedRegistry(this.registry, others, this.#configuration);
  }

  /** Stops the checks; connections in flight go on until they end or `closeConnections`. */
  async retire(): Promise<void> {
    for (const frontend of this.#frontends) frontend.stopping = true;
    for (const client of this.#clients) client.closeWhenIdle();
    await this.#scheduler.stop();
    this.#statsServer?.closeIdleConnections();
  }

  /** Waits until every connection of this configuration has closed, or `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#sockets.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.#sockets.size === 0;
  }

  closeConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
    for (const backend of this.backends.values()) for (const server of backend.servers) server.pool.closeIdle();
  }

  #liveServer(proxy: string, name: string): LiveServer | undefined {
    return this.backends.get(proxy)?.server(name);
  }

  #adminAction(event: AdminEvent): void {
    const server = this.#liveServer(event.backend, event.server);
    if (!server) return;
    this.backends.get(event.backend)!.serverChanged(server);
    this.#peers?.broadcast({ kind: "admin", backend: event.backend, server: event.server, action: event.action });
    this.#process.log.event(`Server ${event.backend}/${event.server}: ${event.action} from the statistics page.`);
  }

  /** Health checks drive each server's ServerStatus; the balancer hears of every change. */
  #healthChecks(env: Environment): HealthScheduler {
    const statusOf = (target: CheckedTarget) => this.registry.server(target.proxy, target.server).status;
    return new HealthScheduler(healthTargetsFromIr(this.ir, env), {
      isPaused: (target) => !statusOf(target as CheckedTarget).checkActive,
      runCheck: (target, signal) => {
        const check = statusOf(target).check;
        if (check) check.inProgress = true;
        return runCheckOverNetwork(target, signal);
      },
      onCheck: (target, report) => {
        const backend = this.backends.get(target.proxy)!;
        const server = backend.server(target.server)!;
        const check = server.stats.status.check;
        if (!check) return;
        // The counter moves from the server's own health, which admin actions may have reset.
        const before = { rise: check.rise, fall: check.fall, health: check.health };
        const after = recordHealth(before, checkPassed(report.result));
        const changed = recordOn(backend, server, report.result, after.health);
        this.#peers?.broadcast({ kind: "check", proxy: target.proxy, server: target.server, result: report.result, health: after.health });
        const logHealth = backend.settings.options.has("log-health-checks");
        if (logHealth) {
          const line = healthCheckLine(target, { ...report, before, after });
          if (line) this.#process.log.event(line.text);
        }
        if (!changed) return;
        const weights = backend.stats.status.weights();
        const to = server.stats.status.state === "stopped" ? "DOWN" : "UP";
        const lines = stateChangeLines(target, to, { check: report.result, health: after, activeServers: weights.act, backupServers: weights.bck }, {
          logHealthChecks: logHealth,
          traffic: { sessionsActive: server.currentConnections, queued: server.queue.length },
        });
        for (const line of lines) this.#process.log.event(line.text);
      },
    });
  }
}

/** Records a check on the server; true when that changed whether it takes traffic (the balancer was told). */
function recordOn(backend: BackendRuntime, server: LiveServer, result: CheckResult, health: number): boolean {
  const status = server.stats.status;
  const wasUsable = status.isUsable();
  const wasRunning = status.state === "running";
  status.recordCheck(checkReport(result, health), Date.now());
  if (status.isUsable() === wasUsable && (status.state === "running") === wasRunning) return false;
  backend.serverChanged(server);
  return true;
}

function checkReport(result: CheckResult, health: number) {
  return {
    status: result.status,
    ...(result.httpCode === undefined ? {} : { code: result.httpCode }),
    durationMs: result.durationMs,
    description: result.info ?? "",
    health,
  };
}
