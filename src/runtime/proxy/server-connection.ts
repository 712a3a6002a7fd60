/**
 * Connections to one server: opening them (bounded by `timeout connect`), reading responses with
 * llhttp, and keeping idle ones for the next request (HAProxy's `http-reuse safe` pools idle server
 * connections too). While a connection serves a request its `handler` (the exchange) gets the
 * response; an idle connection that hears anything, or closes, leaves the pool.
 */
import { connect, type Socket } from "node:net";
import { InactivityTimer } from "./inactivity-timer.js";
import { isParseFailure, type ParseFailure, ResponseParser, type ResponseHead } from "../http/wire-parser.js";

/** What a connection reports to the exchange it serves. */
export interface ResponseHandler {
  /** Return true when the response has no body (the answer to HEAD). */
  onResponseHead(head: ResponseHead): boolean;
  onResponseBody(chunk: Buffer): void;
  onResponseComplete(): void;
  /** Bytes after a `101 Switching Protocols` head: the start of the tunnel. */
  onUpgradeData(rest: Buffer): void;
  /** The server closed, reset, or sent something that is not HTTP, before the response ended. */
  onServerFailure(failure: ServerFailure): void;
  /** `timeout server`: nothing from the server for that long. */
  onServerTimeout(): void;
}

export type ServerFailure =
  | { readonly kind: "closed" }
  | { readonly kind: "error"; readonly code: string }
  | { readonly kind: "invalid"; readonly parse: ParseFailure };

export type ConnectFailure = { readonly kind: "timeout" } | { readonly kind: "refused"; readonly code: string };

/** Idle server connections are closed after this long (HAProxy's default `pool-purge-delay`, 5 s). */
const IDLE_CLOSE_MS = 5000;

export class ServerConnection {
  handler: ResponseHandler | null = null;
  /** Requests this connection has carried, the current one included. */
  requests = 0;
  /** Response bytes read since the current request was sent. */
  bytesIn = 0;
  /** performance.now() when it went back to the pool. */
  idleSince = 0;
  #upgraded = false;
  /** The response in progress is a 101: after its head the bytes belong to the tunnel. */
  #switching = false;
  readonly #silence: InactivityTimer;
  readonly #parser: ResponseParser;

  constructor(
    readonly socket: Socket,
    private readonly pool: ConnectionPool,
  ) {
    this.#parser = new ResponseParser({
      onHead: (head) => {
        if (head.status === 101) this.#switching = true;
        return this.handler?.onResponseHead(head) ?? false;
      },
      onBody: (chunk) => this.handler?.onResponseBody(chunk),
      onComplete: () => this.handler?.onResponseComplete(),
    });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#read(chunk));
    socket.on("end", () => this.#ended());
    socket.on("error", (error: NodeJS.ErrnoException) => this.#fail({ kind: "error", code: error.code ?? "EIO" }));
    socket.on("close", () => {
      this.#silence.stop();
      this.pool.forget(this);
      this.#fail({ kind: "closed" });
    });
    this.#silence = new InactivityTimer(() => {
      if (this.handler) this.handler.onServerTimeout();
      else this.socket.destroy();
    });
  }

  /** Starts serving a request: `serverTimeoutMs` bounds each silence of the server (0: none). */
  attach(handler: ResponseHandler, serverTimeoutMs: number): void {
    this.handler = handler;
    this.requests += 1;
    this.bytesIn = 0;
    this.#silence.set(serverTimeoutMs);
  }

  /** Data went to the server: it is not silent while it takes what is sent. */
  touch(): void {
    this.#silence.touch();
  }

  /** The response ended: back to the pool when both sides may go on, else closed. */
  release(reusable: boolean): void {
    this.handler = null;
    this.#silence.stop();
    if (reusable && this.reusable) {
      // It may have been paused for a slow client; the next request must be able to read.
      this.socket.resume();
      this.pool.keep(this);
    } else this.destroy();
  }

  /** Still open both ways, not upgraded, not ended by the server. */
  get reusable(): boolean {
    const socket = this.socket;
    return !this.#upgraded && !this.#switching && !socket.destroyed && socket.writable && !socket.readableEnded;
  }

  /** Hands the raw socket over to a tunnel (after 101): llhttp is done with it. */
  upgrade(): Socket {
    this.#upgraded = true;
    this.handler = null;
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("end");
    this.#silence.stop();
    this.#parser.close();
    return this.socket;
  }

  destroy(): void {
    this.handler = null;
    this.#silence.stop();
    this.socket.destroy();
  }

  #read(chunk: Buffer): void {
    if (!this.handler) {
      // An idle server speaking out of turn: HAProxy closes such a connection too.
      this.socket.destroy();
      return;
    }
    this.bytesIn += chunk.length;
    this.#silence.touch();
    const result = this.#parser.execute(chunk);
    if (isParseFailure(result)) {
      this.#fail({ kind: "invalid", parse: result });
      this.socket.destroy();
    } else if (this.#switching && this.handler) {
      // llhttp stops after a 101's head: what is left of the chunk (maybe nothing) is tunnel data.
      this.handler.onUpgradeData(chunk.subarray(result));
    }
  }

  #ended(): void {
    const failure = this.#parser.finish();
    if (failure) this.#fail({ kind: "invalid", parse: failure });
    else this.#fail({ kind: "closed" });
    this.socket.destroy();
  }

  #fail(failure: ServerFailure): void {
    const handler = this.handler;
    this.handler = null;
    handler?.onServerFailure(failure);
  }
}

export interface ServerAddress {
  readonly address: string;
  readonly port: number;
}

/** One server's connections: the idle ones, and how to open more. */
export class ConnectionPool {
  readonly #idle: ServerConnection[] = [];
  #sweeper: NodeJS.Timeout | null = null;
  /** Open connections to this server, idle or busy. */
  open = 0;

  constructor(private readonly target: ServerAddress) {}

  get idleCount(): number {
    return this.#idle.length;
  }

  /** The most recently used idle connection (the likeliest to be alive), if any. */
  takeIdle(): ServerConnection | null {
    for (let connection = this.#idle.pop(); connection; connection = this.#idle.pop()) {
      // A server's FIN or reset may have arrived since; such a connection is not worth a try.
      if (connection.reusable) return connection;
      connection.destroy();
    }
    return null;
  }

  /**
   * Opens a connection; `done` gets it once established, or why not. Returns a function that
   * abandons the attempt (the client went away): `done` is then never called.
   */
  connect(timeoutMs: number, done: (failure: ConnectFailure | null, connection: ServerConnection | null) => void): () => void {
    // Half-open allowed: a server's FIN ends one direction only (a TCP session may go on sending).
    const socket = connect({ host: this.target.address, port: this.target.port, allowHalfOpen: true });
    let settled = false;
    const timer = timeoutMs > 0 ? setTimeout(() => finish({ kind: "timeout" }), timeoutMs) : null;
    const onError = (error: NodeJS.ErrnoException): void => finish({ kind: "refused", code: error.code ?? "EIO" });
    const finish = (failure: ConnectFailure | null): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.off("error", onError);
      if (failure) {
        socket.destroy();
        done(failure, null);
        return;
      }
      this.open += 1;
      done(null, new ServerConnection(socket, this));
    };
    socket.once("connect", () => finish(null));
    socket.on("error", onError);
    return () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
    };
  }

  /** @internal ServerConnection.release */
  keep(connection: ServerConnection): void {
    connection.idleSince = performance.now();
    this.#idle.push(connection);
    // One sweep per pool instead of a timer per idle connection (a timer per request costs).
    if (!this.#sweeper) {
      this.#sweeper = setInterval(() => this.#closeStale(), IDLE_CLOSE_MS / 2);
      this.#sweeper.unref();
    }
  }

  /** @internal a connection closed. */
  forget(connection: ServerConnection): void {
    this.open -= 1;
    const index = this.#idle.indexOf(connection);
    if (index >= 0) this.#idle.splice(index, 1);
  }

  closeIdle(): void {
    for (const connection of this.#idle.splice(0)) connection.destroy();
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
  }

  /** Idle connections are kept at most IDLE_CLOSE_MS (plus one sweep period). */
  #closeStale(): void {
    const limit = performance.now() - IDLE_CLOSE_MS;
    // The list is in release order: the oldest are at the front.
    while (this.#idle.length > 0 && this.#idle[0]!.idleSince < limit) this.#idle.shift()!.destroy();
    if (this.#idle.length === 0 && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }
}
