/**
 * One client connection to an HTTP frontend: reads requests with llhttp, runs them one at a time
 * in order (a pipelined request waits its turn, and reading pauses meanwhile), and enforces the
 * client-side timeouts as HAProxy 2.6 does:
 *
 * - `timeout http-request`: the whole request head must arrive within it (408, `cR`);
 * - `timeout http-keep-alive` (else http-request): idle time between requests (closed silently);
 * - `timeout client`: silence while the client should send the body or read the response (`cD`).
 *
 * Malformed requests get 400 and oversized heads 431, logged as `<BADREQ>`; the connection closes.
 */
import type { Socket } from "node:net";
import { errorLoggedBytes, errorResponse } from "../http/error-responses.js";
import { isParseFailure, RequestParser, type RequestHead } from "../http/wire-parser.js";
import type { TerminationState } from "../log/index.js";
import { NO_SERVER } from "../log/index.js";
import type { FrontendRuntime } from "./frontend-runtime.js";
import { type ClientSide, HttpExchange } from "./http-exchange.js";
import type { ServerConnection } from "./server-connection.js";
import { InactivityTimer } from "./inactivity-timer.js";
import { runTunnel } from "./tunnel.js";

export class ClientConnection implements ClientSide {
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly #parser: RequestParser;
  /** Requests in order: the first is being answered, the last may still be arriving. */
  readonly #exchanges: HttpExchange[] = [];
  #reading: HttpExchange | null = null;
  #requestTimer: NodeJS.Timeout | null = null;
  /** performance.now() / Date.now() of the first byte of the request being read; null between requests. */
  #firstByteAt: number | null = null;
  #firstByteDate = 0;
  #requestsSeen = 0;
  #closing = false;
  #closed = false;
  #pausedBy = 0;
  #tunnelled = false;
  readonly #silence: InactivityTimer;
  #upgrading = false;
  #corked = false;
  #pendingUpgradeData: Buffer | null = null;

  constructor(
    private readonly socket: Socket,
    readonly frontend: FrontendRuntime,
  ) {
    this.clientAddress = socket.remoteAddress ?? "";
    this.clientPort = socket.remotePort ?? 0;
    this.#parser = new RequestParser({
      onHead: (head) => this.#onHead(head),
      onBody: (chunk) => this.#reading?.requestBody(chunk),
      onComplete: () => {
        this.#reading?.requestComplete();
        this.#reading = null;
      },
    });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => this.#onEnd());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.#onClose());
    this.#silence = new InactivityTimer(() => this.#onClientTimeout());
    this.#silence.set(frontend.settings.timeouts.client);
    this.#armRequestTimer(this.#headTimeout(), true);
  }

  // ── ClientSide ───────────────────────────────────────────────────────────

  write(data: Buffer): boolean {
    if (this.#closed) return true;
    if (!this.#corked) {
      // A response usually leaves as head, body and end within one tick: one system call for all.
      this.#corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.socket.uncork();
      });
    }
    return this.socket.write(data);
  }

  onClientDrain(resume: () => void): void {
    if (this.#closed) return;
    this.socket.once("drain", () => {
      this.#silence.touch();
      resume();
    });
  }

  pauseReading(): void {
    this.#pausedBy += 1;
    this.socket.pause();
  }

  resumeReading(): void {
    this.#pausedBy = Math.max(0, this.#pausedBy - 1);
    if (this.#pausedBy === 0 && !this.#closing) this.socket.resume();
  }

  exchangeDone(exchange: HttpExchange, keepAlive: boolean): void {
    const index = this.#exchanges.indexOf(exchange);
    if (index >= 0) this.#exchanges.splice(index, 1);
    if (this.#reading === exchange) this.#reading = null;
    if (!keepAlive || this.#closing) {
      this.#closeAfterWrites();
      return;
    }
    const next = this.#exchanges[0];
    if (next) {
      this.resumeReading();
      next.start();
      return;
    }
    this.#armRequestTimer(this.#idleTimeout(), false);
  }

  /** Closes the connection now if it waits for a next request; otherwise after the current answer. */
  closeWhenIdle(): void {
    if (this.#exchanges.length === 0 && this.#firstByteAt === null) this.#closeAfterWrites();
    else this.#closing = true;
  }

  abort(): void {
    this.#closing = true;
    this.socket.destroy();
  }

  startTunnel(server: ServerConnection, fromServer: Buffer | null): void {
    this.#tunnelled = true;
    this.#clearRequestTimer();
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("end");
    this.#silence.stop();
    const tunnelTimeout = this.frontend.settings.timeouts.tunnel || this.frontend.settings.timeouts.client;
    runTunnel(this.socket, server.upgrade(), { timeoutMs: tunnelTimeout, fromClient: this.#pendingUpgradeData, fromServer });
    this.#pendingUpgradeData = null;
  }

  // ── Reading requests ─────────────────────────────────────────────────────

  #onData(chunk: Buffer): void {
    this.#silence.touch();
    if (this.#upgrading) {
      // After an upgrade request the bytes are the new protocol's, kept for the tunnel.
      this.#pendingUpgradeData = this.#pendingUpgradeData ? Buffer.concat([this.#pendingUpgradeData, chunk]) : chunk;
      return;
    }
    if (this.#firstByteAt === null && this.#reading === null) {
      this.#firstByteAt = performance.now();
      this.#firstByteDate = Date.now();
      if (this.#requestsSeen > 0) this.#armRequestTimer(this.#headTimeout(), true);
    }
    this.frontend.counters.bin += chunk.length;
    const result = this.#parser.execute(chunk);
    if (isParseFailure(result)) {
      this.#badRequest(result.code === "HPE_HEADER_OVERFLOW" ? 431 : 400);
      return;
    }
    if (this.#upgrading && result < chunk.length) this.#pendingUpgradeData = chunk.subarray(result);
  }

  #onHead(head: RequestHead): boolean {
    this.#clearRequestTimer();
    if (head.url.includes("#")) {
      // HAProxy refuses a fragment in the request target (RFC 9112 has none); llhttp lets it through.
      this.#badRequest(400);
      return true;
    }
    const firstByteAt = this.#firstByteAt ?? performance.now();
    const requestMs = Math.round(performance.now() - firstByteAt);
    if (head.upgrade) {
      // Until the server says 101, read nothing more as HTTP; otherwise the connection closes after the answer.
      this.#upgrading = true;
      this.#closing = true;
    }
    const exchange = new HttpExchange(this, head, firstByteAt, this.#firstByteDate || Date.now(), requestMs);
    this.#firstByteAt = null;
    this.#requestsSeen += 1;
    this.#exchanges.push(exchange);
    this.#reading = exchange;
    if (this.#exchanges.length === 1) exchange.start();
    else this.pauseReading();
    return false;
  }

  #badRequest(status: 400 | 431): void {
    this.#clearRequestTimer();
    this.#closing = true;
    if (this.#exchanges.length > 0) {
      // Answer what came before in order, then close: the broken request gets no answer of its own.
      this.socket.pause();
      return;
    }
    this.#logLocalError(status, { cause: "P", phase: "R" });
    this.frontend.counters.ereq += 1;
    this.write(errorResponse(status));
    this.#closeAfterWrites();
  }

  // ── Timers and ends ──────────────────────────────────────────────────────

  /** The deadline for a request head: http-request, else client. */
  #headTimeout(): number {
    const t = this.frontend.settings.timeouts;
    return t.httpRequest || t.client;
  }

  #idleTimeout(): number {
    const t = this.frontend.settings.timeouts;
    return t.httpKeepAlive || t.client;
  }

  #armRequestTimer(ms: number, answers408: boolean): void {
    this.#clearRequestTimer();
    if (ms <= 0) return;
    this.#requestTimer = setTimeout(() => {
      this.#requestTimer = null;
      if (this.#exchanges.length > 0 && this.#reading === null) return;
      if (!answers408) {
        this.#closeAfterWrites();
        return;
      }
      this.frontend.counters.ereq += 1;
      this.#logLocalError(408, { cause: "c", phase: "R" });
      this.#closing = true;
      this.write(errorResponse(408));
      this.#closeAfterWrites();
    }, ms);
  }

  #clearRequestTimer(): void {
    if (this.#requestTimer) clearTimeout(this.#requestTimer);
    this.#requestTimer = null;
  }

  #onClientTimeout(): void {
    if (this.#tunnelled) return;
    const current = this.#exchanges[0];
    // Waiting on the server is not the client's silence: only a body or a full send buffer is.
    const clientOwes = this.#reading !== null || this.socket.writableLength > 0;
    if (!current || !clientOwes) {
      this.#silence.set(this.frontend.settings.timeouts.client);
      return;
    }
    current.clientTimedOut();
    this.socket.destroy();
  }

  #onEnd(): void {
    if (this.#exchanges.length === 0) {
      this.#closeAfterWrites();
      return;
    }
    if (this.#reading !== null && !this.#upgrading) {
      // The client stopped in the middle of a request body: that request cannot be completed.
      this.#reading.clientAborted();
      this.socket.destroy();
      return;
    }
    // Half-closed: the answer may still be wanted, unless abortonclose says otherwise.
    this.#closing = true;
    for (const exchange of this.#exchanges) exchange.clientEnded();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#silence.stop();
    this.#clearRequestTimer();
    this.#parser.close();
    for (const exchange of [...this.#exchanges]) exchange.clientAborted();
    this.#exchanges.length = 0;
  }

  #closeAfterWrites(): void {
    if (this.#closed) return;
    this.#closing = true;
    this.#clearRequestTimer();
    this.socket.end();
  }

  #logLocalError(status: 400 | 408 | 431, termination: TerminationState): void {
    this.frontend.counters.responseSent(status);
    const now = performance.now();
    const started = this.#firstByteAt ?? now;
    this.frontend.logHttp({
      clientAddress: this.clientAddress,
      clientPort: this.clientPort,
      requestDate: this.#firstByteDate || Date.now(),
      frontend: this.frontend.settings.name,
      backend: this.frontend.settings.name,
      server: NO_SERVER,
      timers: { request: null, queue: null, connect: null, response: null, active: Math.round(now - started) },
      status,
      bytesSent: errorLoggedBytes(status),
      termination,
      requestLine: null,
      connections: { process: this.frontend.process.activeConnections, frontend: this.frontend.counters.scur, backend: 0, server: 0 },
      retries: 0,
      redispatched: false,
      queues: { server: 0, backend: 0 },
    });
  }
}
