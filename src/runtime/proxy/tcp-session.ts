/**
 * One client connection to a `mode tcp` frontend or listen: a server slot from the backend (its
 * balancer and queues), a connection with `retries` and `option redispatch`, then a tunnel until
 * either side closes or `timeout tunnel` (else client/server) passes in silence. One tcplog line
 * when it ends.
 */
import type { Socket } from "node:net";
import { NO_SERVER, type TerminationState } from "../log/index.js";
import type { BackendRuntime, SlotOutcome } from "./backend-runtime.js";
import type { FrontendRuntime } from "./frontend-runtime.js";
import type { LiveServer } from "./live-server.js";
import { afterConnectFailure, takeRetry } from "./retry-policy.js";
import type { ConnectFailure, ServerConnection } from "./server-connection.js";
import { runTunnel, type TunnelOutcome } from "./tunnel.js";

export function startTcpSession(socket: Socket, frontend: FrontendRuntime): void {
  new TcpSession(socket, frontend).start();
}

class TcpSession {
  readonly #startedAt = performance.now();
  readonly #startDate = Date.now();
  readonly #clientAddress: string;
  readonly #clientPort: number;
  #backend: BackendRuntime | null = null;
  #server: LiveServer | null = null;
  #retries = 0;
  #redispatched = false;
  #queueMs: number | null = null;
  #connectMs: number | null = null;
  #phaseStart = performance.now();
  #cancel: (() => void) | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #done = false;
  #tunnelling = false;
  #early: Buffer[] = [];
  #queues = { server: 0, backend: 0 };

  constructor(
    private readonly socket: Socket,
    private readonly frontend: FrontendRuntime,
  ) {
    this.#clientAddress = socket.remoteAddress ?? "";
    this.#clientPort = socket.remotePort ?? 0;
  }

  start(): void {
    const { socket, frontend } = this;
    socket.setNoDelay(true);
    // Bytes the client sends before the server is reached are kept for it.
    socket.on("data", (chunk: Buffer) => this.#early.push(chunk));
    socket.on("error", () => socket.destroy());
    socket.once("close", () => {
      // Once tunnelling, the tunnel's own end reports the outcome.
      if (!this.#done && !this.#tunnelling) this.#finish({ cause: "C", phase: this.#server ? "C" : "Q" }, 0, 0);
    });
    const backend = frontend.tcpBackend();
    if (!backend) {
      this.#finish({ cause: "S", phase: "C" }, 0, 0);
      socket.destroy();
      return;
    }
    this.#backend = backend;
    backend.stats.counters.sessionStarted(Date.now());
    this.#ask(undefined);
  }

  #ask(avoid: LiveServer | undefined): void {
    const backend = this.#backend!;
    this.#phaseStart = performance.now();
    this.#queues = { server: 0, backend: backend.queue.length };
    const waiter = backend.requestSlot({ sourceAddress: this.#clientAddress, avoid }, (outcome) => this.#granted(outcome));
    if (waiter) {
      this.socket.once("close", () => backend.cancel(waiter));
    }
  }

  #granted(outcome: SlotOutcome): void {
    if (this.#done) {
      if (outcome.kind === "server") this.#backend!.release(outcome.server);
      return;
    }
    if (outcome.kind === "none-up") {
      this.#finish({ cause: "S", phase: "C" }, 0, 0);
      this.socket.destroy();
      return;
    }
    this.#queueMs = (this.#queueMs ?? 0) + outcome.queuedMs;
    if (outcome.kind === "queue-timeout") {
      this.#finish({ cause: "s", phase: "Q" }, 0, 0);
      this.socket.destroy();
      return;
    }
    this.#server = outcome.server;
    this.#connect();
  }

  #connect(): void {
    const server = this.#server!;
    const backend = this.#backend!;
    this.#phaseStart = performance.now();
    server.stats.counters.connect += 1;
    backend.stats.counters.connect += 1;
    this.#cancel = server.pool.connect(backend.settings.timeouts.connect, (failure, connection) => {
      this.#cancel = null;
      if (failure) this.#failed(failure);
      else this.#connected(connection!);
    });
  }

  #failed(failure: ConnectFailure): void {
    const backend = this.#backend!;
    const server = this.#server!;
    const decision = afterConnectFailure(backend, server, failure, this.#retries, false);
    if (decision.kind === "give-up") {
      backend.count("econ", server);
      this.#finish({ cause: failure.kind === "timeout" ? "s" : "S", phase: "C" }, 0, 0);
      this.socket.destroy();
      return;
    }
    this.#retries += 1;
    takeRetry(backend, server, decision);
    if (decision.kind === "redispatch") {
      this.#redispatched = true;
      this.#server = null;
      this.#ask(server);
      return;
    }
    this.#retryTimer = setTimeout(() => this.#connect(), decision.delayMs);
  }

  #connected(connection: ServerConnection): void {
    this.#tunnelling = true;
    this.#connectMs = Math.round(performance.now() - this.#phaseStart);
    const serverSocket = connection.upgrade();
    this.socket.removeAllListeners("data");
    const early = this.#early.length > 0 ? Buffer.concat(this.#early) : null;
    this.#early = [];
    const t = this.frontend.settings.timeouts;
    const b = this.#backend!.settings.timeouts;
    runTunnel(this.socket, serverSocket, {
      timeoutMs: b.tunnel || t.tunnel || Math.max(t.client, b.server),
      fromClient: early,
      onClose: (outcome) => this.#tunnelClosed(outcome),
    });
  }

  #tunnelClosed(outcome: TunnelOutcome): void {
    const cause = outcome.endedBy === "timeout" ? "c" : outcome.endedBy === "server-error" ? "S" : outcome.endedBy === "client-error" ? "C" : "-";
    const backend = this.#backend!;
    const server = this.#server!;
    backend.stats.counters.bin += outcome.bytesFromClient;
    backend.stats.counters.bout += outcome.bytesFromServer;
    server.stats.counters.bin += outcome.bytesFromClient;
    server.stats.counters.bout += outcome.bytesFromServer;
    this.frontend.counters.bin += outcome.bytesFromClient;
    this.frontend.counters.bout += outcome.bytesFromServer;
    this.#finish({ cause, phase: cause === "-" ? "-" : "D" }, outcome.bytesFromServer, outcome.bytesFromClient);
  }

  #finish(termination: TerminationState, bytesSent: number, _bytesReceived: number): void {
    if (this.#done) return;
    this.#done = true;
    this.#cancel?.();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const backend = this.#backend;
    const server = this.#server;
    const total = Math.round(performance.now() - this.#startedAt);
    if (backend && server) {
      server.stats.counters.recordTimes(this.#queueMs ?? 0, this.#connectMs ?? 0, this.#connectMs ?? 0, total);
      backend.stats.counters.recordTimes(this.#queueMs ?? 0, this.#connectMs ?? 0, this.#connectMs ?? 0, total);
    }
    this.frontend.logTcp({
      clientAddress: this.#clientAddress,
      clientPort: this.#clientPort,
      acceptDate: this.#startDate,
      frontend: this.frontend.settings.name,
      backend: backend?.name ?? this.frontend.settings.name,
      server: server?.name ?? NO_SERVER,
      timers: { queue: this.#queueMs, connect: this.#connectMs, total },
      bytesSent,
      termination,
      connections: {
        process: this.frontend.process.activeConnections,
        frontend: this.frontend.counters.scur,
        backend: backend?.stats.counters.scur ?? 0,
        server: server?.stats.counters.scur ?? 0,
      },
      retries: this.#retries,
      redispatched: this.#redispatched,
      queues: this.#queues,
    });
    if (backend) {
      backend.stats.counters.sessionEnded();
      if (server) backend.release(server);
    }
  }
}
