/**
 * One HTTP request's life, as HAProxy 2.6 leads it: route → persistence cookie → a server slot
 * (queues) → connect, with `retries` and `option redispatch` (runtime-semantics §1.10) → forward
 * the request → forward the response (cookie insertion, `nocache`) → one log line. Errors end as
 * HAProxy's own responses: 503 no route / no server / connect failure / queue timeout, 504
 * `timeout server`, 502 invalid or aborted response.
 */
import type { FrontendRuntime } from "./frontend-runtime.js";
import type { BackendRuntime, SlotOutcome } from "./backend-runtime.js";
import type { LiveServer } from "./live-server.js";
import type { ConnectFailure, ResponseHandler, ServerConnection, ServerFailure } from "./server-connection.js";
import type { Waiter } from "./wait-queue.js";
import type { SlotRequest } from "./backend-runtime.js";
import { bodyEnd, bodyFraming, type BodyFraming, forwardedHeaders, framedChunk, requestHeadBytes, responseHeadBytes } from "../http/message-writer.js";
import { clientResponse } from "./client-response.js";
import type { RequestHead, ResponseHead } from "../http/wire-parser.js";
import { errorLoggedBytes, errorResponse, type ErrorStatus } from "../http/error-responses.js";
import { forwardedFor } from "../http/forwarded-for.js";
import { afterConnectFailure, takeRetry } from "./retry-policy.js";
import { requestPersistence, responsePersistence, type RequestPersistence } from "./persistence.js";
import type { SessionPhase, TerminationCause, TerminationState } from "../log/index.js";
import { NO_SERVER } from "../log/index.js";

/** What the exchange needs from the client connection that carries it. */
export interface ClientSide {
  readonly frontend: FrontendRuntime;
  readonly clientAddress: string;
  readonly clientPort: number;
  /** Writes to the client; false when the socket's buffer is full (wait for `onClientDrain`). */
  write(data: Buffer): boolean;
  onClientDrain(resume: () => void): void;
  /** Stops or restarts reading from the client (request body backpressure). */
  pauseReading(): void;
  resumeReading(): void;
  /** The exchange is over; `keepAlive` false closes the connection after what was written. */
  exchangeDone(exchange: HttpExchange, keepAlive: boolean): void;
  /** Tear the client connection down now (a response cut in the middle). */
  abort(): void;
  /** Hands the socket to a tunnel after `101 Switching Protocols`. */
  startTunnel(server: ServerConnection, fromServer: Buffer | null): void;
}

/** Methods a client may expect to be repeated safely (RFC 9110 §9.2.1). */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Request body kept while no server connection exists yet; beyond it the client is paused. */
const MAX_BUFFERED_BODY = 64 * 1024;

export class HttpExchange implements ResponseHandler {
  readonly startedAt: number;
  readonly requestDate: number;
  #backend: BackendRuntime | null = null;
  #server: LiveServer | null = null;
  #connection: ServerConnection | null = null;
  #waiter: Waiter<SlotRequest> | null = null;
  #cancelConnect: (() => void) | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #persistence: RequestPersistence | null = null;
  #forwardHeaders: string[] = [];
  #requestFraming: BodyFraming = "none";
  #pendingBody: Buffer[] = [];
  #pendingBytes = 0;
  #requestComplete = false;
  #requestSent = false;
  #response: ResponseHead | null = null;
  #responseFraming: BodyFraming = "none";
  #clientKeepAlive: boolean;
  #interim = false;
  /** A response without a length, chunked by halb for an HTTP/1.1 client: its server connection ends with it. */
  #chunkUnknownLength = false;
  /** Reading from the client is paused until the server connection drains. */
  #pausedClient = false;
  /** The status sent to the client, for the log. */
  #status: number | null = null;
  #retries = 0;
  #redispatched = false;
  #freshRetryDone = false;
  #finished = false;
  #bytesSent = 0;
  /** Reading from the client is paused because the body waits for a server connection. */
  #pausedForBody = false;
  #timers = { queue: null as number | null, connect: null as number | null, response: null as number | null };
  #queueDepths = { server: 0, backend: 0 };
  #phaseStart = 0;

  constructor(
    private readonly client: ClientSide,
    readonly head: RequestHead,
    /** performance.now() and Date.now() at the request's first byte. */
    firstByteAt: number,
    firstByteDate: number,
    /** TR: first byte to complete headers (ms). */
    private readonly requestMs: number,
  ) {
    this.startedAt = firstByteAt;
    this.requestDate = firstByteDate;
    this.#clientKeepAlive = head.keepAlive;
  }

  /** Routing and the first slot request; called when it is this request's turn. */
  start(): void {
    const frontend = this.client.frontend;
    frontend.counters.requestReceived(Date.now());
    const backend = frontend.backendFor(this.head);
    if (!backend) {
      this.#fail(503, "S", "C");
      return;
    }
    this.#backend = backend;
    backend.stats.counters.sessionStarted(Date.now());
    backend.stats.counters.req_tot += 1;
    this.#persistence = requestPersistence(backend, this.head);
    let headers = forwardedHeaders(this.#persistence.headers);
    if (frontend.settings.options.has("forwardfor") || backend.settings.options.has("forwardfor")) {
      headers = forwardedFor(headers, this.client.clientAddress);
    }
    this.#forwardHeaders = headers;
    this.#requestFraming = bodyFraming(this.head.headers, false, true);
    if (this.#requestFraming === "none") this.#requestComplete = true;
    this.#askForSlot(undefined);
  }

  requestBody(chunk: Buffer): void {
    if (this.#finished) return;
    if (this.#requestSent && this.#connection) {
      this.#writeToServer(framedChunk(this.#requestFraming, chunk));
      return;
    }
    this.#pendingBody.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes > MAX_BUFFERED_BODY && !this.#pausedForBody) {
      this.#pausedForBody = true;
      this.client.pauseReading();
    }
  }

  requestComplete(): void {
    this.#requestComplete = true;
    if (this.#requestSent && this.#connection) {
      const end = bodyEnd(this.#requestFraming);
      if (end) this.#connection.socket.write(end);
    }
  }

  /** The client half-closed (FIN). With `option abortonclose` a request not yet answered is dropped. */
  clientEnded(): void {
    if (this.#finished || this.#response) return;
    if (this.#backend?.settings.options.has("abortonclose")) this.clientAborted();
  }

  /** The client is gone: stop everything, count and log it. */
  clientAborted(): void {
    if (this.#finished) return;
    const phase = this.#currentPhase();
    if (this.#backend) {
      this.#backend.count("cli_abrt", this.#server);
    }
    this.#connection?.destroy();
    this.#connection = null;
    this.#end({ cause: "C", phase }, null, false);
  }

  /** `timeout client` expired while the client owed the body or was not reading the response. */
  clientTimedOut(): void {
    if (this.#finished) return;
    const phase = this.#currentPhase();
    this.#connection?.destroy();
    this.#connection = null;
    this.#backend?.count("cli_abrt", null);
    this.#end({ cause: "c", phase }, this.#status, false);
  }

  // ── Slots and connections ────────────────────────────────────────────────

  #askForSlot(avoid: LiveServer | undefined): void {
    const backend = this.#backend!;
    this.#phaseStart = performance.now();
    const pinned = avoid ? null : (this.#persistence?.server ?? null);
    this.#queueDepths = { server: pinned?.queue.length ?? 0, backend: backend.queue.length };
    this.#waiter = backend.requestSlot(
      { sourceAddress: this.client.clientAddress, uri: this.head.url, pinned, avoid },
      (outcome) => this.#slotGranted(outcome),
    );
  }

  #slotGranted(outcome: SlotOutcome): void {
    this.#waiter = null;
    if (this.#finished) {
      if (outcome.kind === "server") this.#backend!.release(outcome.server);
      return;
    }
    this.#timers.queue = (this.#timers.queue ?? 0) + (outcome.kind === "none-up" ? 0 : outcome.queuedMs);
    if (outcome.kind === "none-up") {
      this.#fail(503, "S", "C");
      return;
    }
    if (outcome.kind === "queue-timeout") {
      this.#fail(503, "s", "Q");
      return;
    }
    this.#server = outcome.server;
    this.#connect();
  }

  /** Sends on an idle pooled connection to the server if there is one (unless `fresh`), else opens one. */
  #connect(fresh = false): void {
    const server = this.#server!;
    this.#phaseStart = performance.now();
    const idle = fresh ? null : server.pool.takeIdle();
    if (idle) {
      server.stats.counters.reuse += 1;
      this.#timers.connect = 0;
      this.#send(idle);
      return;
    }
    server.stats.counters.connect += 1;
    this.#backend!.stats.counters.connect += 1;
    this.#cancelConnect = server.pool.connect(this.#backend!.settings.timeouts.connect, (failure, connection) => {
      this.#cancelConnect = null;
      if (failure) this.#connectFailed(failure);
      else {
        this.#timers.connect = Math.round(performance.now() - this.#phaseStart);
        this.#send(connection!);
      }
    });
  }

  /** `unanswered`: the connection worked but the server closed it without a byte of answer. */
  #connectFailed(failure: ConnectFailure, unanswered = false): void {
    const backend = this.#backend!;
    const server = this.#server!;
    const pinned = !this.#redispatched && (this.#persistence?.server ?? null) !== null;
    const decision = afterConnectFailure(backend, server, failure, this.#retries, pinned);
    if (decision.kind === "give-up" && unanswered) {
      // Out of retries, the last server having taken the request: HAProxy's answer for that, 502.
      backend.count("eresp", server);
      this.#fail(502, "S", "H");
      return;
    }
    if (decision.kind === "give-up") {
      backend.count("econ", server);
      this.#fail(503, failure.kind === "timeout" ? "s" : "S", "C");
      return;
    }
    this.#retries += 1;
    takeRetry(backend, server, decision);
    if (decision.kind === "redispatch") {
      this.#redispatched = true;
      this.#server = null;
      this.#askForSlot(server);
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, decision.delayMs);
  }

  #send(connection: ServerConnection): void {
    this.#connection = connection;
    connection.attach(this, this.#backend!.settings.timeouts.server);
    this.#phaseStart = performance.now();
    const parts: Buffer[] = [requestHeadBytes(this.head.method, this.head.url, this.head.versionMinor, this.#forwardHeaders)];
    for (const chunk of this.#pendingBody) parts.push(...framedChunk(this.#requestFraming, chunk));
    if (this.#requestComplete) {
      const end = bodyEnd(this.#requestFraming);
      if (end) parts.push(end);
    }
    this.#requestSent = true;
    let bytes = 0;
    for (const part of parts) bytes += part.length;
    this.#backend!.stats.counters.bin += bytes;
    this.#server!.stats.counters.bin += bytes;
    this.#writeToServer(parts.length === 1 ? parts : [Buffer.concat(parts)]);
    this.#pendingBody = [];
    if (this.#pausedForBody) {
      this.#pausedForBody = false;
      this.client.resumeReading();
    }
    this.#pendingBytes = 0;
  }

  #writeToServer(parts: Buffer[]): void {
    const connection = this.#connection!;
    connection.touch();
    const socket = connection.socket;
    let flowing = true;
    for (const part of parts) flowing = socket.write(part) && flowing;
    // A destroyed socket also says false, and never drains: its failure arrives by other means.
    if (!flowing && !socket.destroyed && !this.#pausedClient) {
      this.#pausedClient = true;
      this.client.pauseReading();
      socket.once("drain", () => this.#resumeClient());
    }
  }

  #resumeClient(): void {
    if (!this.#pausedClient) return;
    this.#pausedClient = false;
    this.client.resumeReading();
  }

  // ── The response (ResponseHandler) ───────────────────────────────────────

  onResponseHead(head: ResponseHead): boolean {
    if (head.status < 200 && head.status !== 101) {
      // Interim answers (100 Continue) go to HTTP/1.1 clients as they come; the final one follows.
      this.#interim = true;
      if (this.head.versionMinor >= 1) this.#writeClient(responseHeadBytes(1, head.status, head.reason, forwardedHeaders(head.headers)));
      return false;
    }
    this.#timers.response = Math.round(performance.now() - this.#phaseStart);
    this.#response = head;
    const forwarded = responsePersistence(this.#backend!, this.#persistence!, this.#server!, forwardedHeaders(head.headers), this.head.method, head.status);
    const plan = clientResponse(this.head, head, forwarded, this.#clientKeepAlive && !this.client.frontend.stopping);
    this.#responseFraming = plan.framing;
    this.#chunkUnknownLength = plan.chunkedByHalb;
    if (head.status !== 101) this.#clientKeepAlive = plan.keepAlive;
    const headers = plan.headers;
    this.#status = head.status;
    this.#writeClient(responseHeadBytes(this.head.versionMinor, head.status, head.reason, headers));
    return this.head.method === "HEAD";
  }

  onResponseBody(chunk: Buffer): void {
    this.#backend!.stats.counters.bout += chunk.length;
    this.#server!.stats.counters.bout += chunk.length;
    let flowing = true;
    for (const part of framedChunk(this.#responseFraming, chunk)) flowing = this.#writeClient(part) && flowing;
    if (!flowing && this.#connection) {
      const socket = this.#connection.socket;
      socket.pause();
      this.client.onClientDrain(() => socket.resume());
    }
  }

  onResponseComplete(): void {
    if (this.#interim) {
      this.#interim = false;
      return;
    }
    // A 101 goes on as a tunnel (onUpgradeData), not back to the pool.
    if (this.#response?.status === 101) return;
    if (!this.#response || this.#finished) return;
    const end = bodyEnd(this.#responseFraming);
    if (end) this.#writeClient(end);
    const connection = this.#connection;
    this.#connection = null;
    const reusable = this.#response.keepAlive && this.#requestComplete && !this.#chunkUnknownLength;
    connection?.release(reusable);
    this.#end({ cause: "-", phase: "-" }, this.#status, this.#clientKeepAlive && this.#requestComplete);
  }

  onUpgradeData(rest: Buffer): void {
    if (this.#response?.status !== 101 || !this.#connection) return;
    this.#tunnel(rest);
  }

  onServerFailure(failure: ServerFailure): void {
    if (this.#finished) return;
    const connection = this.#connection;
    this.#connection = null;
    if (this.#response?.status === 101 && connection) return;
    if (!this.#response) {
      const unanswered = connection !== null && connection.bytesIn === 0 && failure.kind !== "invalid" && this.#requestFraming === "none";
      // A kept-alive connection the server had just closed: once more on a new one, as the server
      // most likely never saw the request (HAProxy's http-reuse safe avoids this case instead).
      if (unanswered && connection.requests > 1 && !this.#freshRetryDone) {
        this.#freshRetryDone = true;
        connection.destroy();
        this.#requestSent = false;
        this.#connect(true);
        return;
      }
      // A server that dies with a safe request unanswered (GET, HEAD…): retried like a connection
      // failure, so redispatch can move it (HAProxy would need `retry-on empty-response`).
      if (unanswered && SAFE_METHODS.has(this.head.method)) {
        connection.destroy();
        this.#requestSent = false;
        this.#connectFailed({ kind: "refused", code: failure.kind === "error" ? failure.code : "ECONNRESET" }, true);
        return;
      }
      connection?.destroy();
      this.#backend!.count("eresp", this.#server);
      this.#fail(502, "S", "H");
      return;
    }
    connection?.destroy();
    this.#backend!.count("srv_abrt", this.#server);
    this.client.abort();
    this.#end({ cause: "S", phase: "D" }, this.#status, false);
  }

  onServerTimeout(): void {
    if (this.#finished) return;
    const connection = this.#connection;
    this.#connection = null;
    connection?.destroy();
    this.#backend!.count("eresp", this.#server);
    if (!this.#response) {
      this.#fail(504, "s", "H");
      return;
    }
    this.client.abort();
    this.#end({ cause: "s", phase: "D" }, this.#status, false);
  }

  #tunnel(rest: Buffer | null): void {
    const connection = this.#connection!;
    this.#connection = null;
    this.#end({ cause: "-", phase: "-" }, 101, false, true);
    this.client.startTunnel(connection, rest && rest.length > 0 ? rest : null);
  }

  // ── Ending ───────────────────────────────────────────────────────────────

  /** Answers with HAProxy's own error page and ends the exchange. */
  #fail(status: ErrorStatus, cause: TerminationCause, phase: SessionPhase): void {
    // HAProxy keeps the client connection after its own 5xx pages, as the client asked.
    const keepAlive = this.#clientKeepAlive && !this.client.frontend.stopping;
    const connection = !keepAlive ? "close" : this.head.versionMinor === 0 ? "keep-alive" : undefined;
    this.#status = status;
    this.#writeClient(errorResponse(status, connection ? { connection } : {}));
    // %B counts HAProxy's internal message size for its own pages.
    this.#bytesSent = errorLoggedBytes(status);
    if (this.#backend) this.#backend.stats.counters.responseSent(status);
    this.#end({ cause, phase }, status, keepAlive);
  }

  #writeClient(data: Buffer): boolean {
    this.#bytesSent += data.length;
    this.client.frontend.counters.bout += data.length;
    return this.client.write(data);
  }

  #currentPhase(): SessionPhase {
    if (this.#response) return "D";
    if (this.#requestSent) return "H";
    if (this.#server) return "C";
    if (this.#waiter) return "Q";
    return "R";
  }

  #end(termination: TerminationState, status: number | null, keepAlive: boolean, tunnel = false): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#resumeClient();
    if (this.#pausedForBody) {
      this.#pausedForBody = false;
      this.client.resumeReading();
    }
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#cancelConnect?.();
    this.#cancelConnect = null;
    if (this.#waiter && this.#backend) this.#backend.cancel(this.#waiter);
    this.#waiter = null;
    const frontend = this.client.frontend;
    if (status !== null) frontend.counters.responseSent(status);
    const backend = this.#backend;
    const server = this.#server;
    const totalMs = Math.round(performance.now() - this.startedAt);
    if (backend && server) {
      if (status !== null && this.#response) {
        backend.stats.counters.responseSent(status);
        server.stats.counters.responseSent(status);
      }
      const t = this.#timers;
      server.stats.counters.recordTimes(t.queue ?? 0, t.connect ?? 0, t.response ?? 0, totalMs);
      backend.stats.counters.recordTimes(t.queue ?? 0, t.connect ?? 0, t.response ?? 0, totalMs);
    }
    frontend.logHttp({
      clientAddress: this.client.clientAddress,
      clientPort: this.client.clientPort,
      requestDate: this.requestDate,
      frontend: frontend.settings.name,
      backend: backend?.name ?? frontend.settings.name,
      server: server?.name ?? NO_SERVER,
      timers: { request: this.requestMs, queue: this.#timers.queue, connect: this.#timers.connect, response: this.#timers.response, active: totalMs },
      status,
      bytesSent: this.#bytesSent,
      termination: { ...termination, ...this.#persistence?.logState(termination) },
      requestLine: `${this.head.method} ${this.head.url} HTTP/1.${this.head.versionMinor}`,
      connections: {
        process: frontend.process.activeConnections,
        frontend: frontend.counters.scur,
        backend: backend?.stats.counters.scur ?? 0,
        server: server?.stats.counters.scur ?? 0,
      },
      retries: this.#retries,
      redispatched: this.#redispatched,
      queues: this.#queueDepths,
    });
    if (backend) {
      backend.stats.counters.sessionEnded();
      if (server) {
        this.#server = null;
        backend.release(server);
      }
    }
    if (!tunnel) this.client.exchangeDone(this, keepAlive);
  }
}
