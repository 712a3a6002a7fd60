/**
 * More of what the `halb run` behaviour tests share (harness.ts has the basics): origins that can
 * be killed abruptly and restarted on the same port, a statistics CSV reader, load loops, polling,
 * and a reader of several HTTP/1.x responses on one connection. Loopback only.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, createServer as createHttpServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import { LOCALHOST, parseResponse, type RawResponse } from "./harness.js";

export const NO_SERVER_503 = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";

/** Polls `test` (sync or async) every 20 ms until it holds; throws after `timeoutMs` naming `what`. */
export async function until(test: () => boolean | Promise<boolean>, timeoutMs: number, what: string, describe?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `: ${describe()}` : ""}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Resident memory of a process in kB, from /proc/<pid>/status (VmRSS). */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly at: number;
  answeredAt: number | null;
}

export type OriginHandler = (request: IncomingMessage, response: ServerResponse, origin: HttpOrigin) => void;

/**
 * An HTTP origin (node:http) whose default answer is its name, synchronously (so at any moment
 * between two events every request it has read has been answered). `kill()` stops it the way a
 * crashed process stops: the listener closes and every connection is destroyed at once.
 */
export class HttpOrigin {
  readonly requests: SeenRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  #server: Server | null = null;
  #port = 0;
  readonly #sockets = new Set<Socket>();
  readonly #busy = new Set<Socket>();

  private constructor(
    readonly name: string,
    private readonly handler: OriginHandler | null,
  ) {}

  static async start(name: string, handler: OriginHandler | null = null): Promise<HttpOrigin> {
    const origin = new HttpOrigin(name, handler);
    await origin.listen(0);
    return origin;
  }

  get port(): number {
    return this.#port;
  }

  get alive(): boolean {
    return this.#server !== null;
  }

  /** Requests other than health checks. */
  get served(): number {
    return this.requests.filter((request) => request.url !== "/health").length;
  }

  /** URLs of the requests other than health checks, in arrival order. */
  get urls(): string[] {
    return this.requests.filter((request) => request.url !== "/health").map((request) => request.url);
  }

  async listen(port: number): Promise<void> {
    const server = createHttpServer((request, response) => this.#onRequest(request, response));
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = 61_000;
    server.requestTimeout = 0;
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(port, LOCALHOST, () => done());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  /** Restarts a killed origin on its old port. */
  async restart(): Promise<void> {
    await this.listen(this.#port);
  }

  /** The upgrade (101) handler, for WebSocket-style tests. */
  onUpgrade(handler: (request: IncomingMessage, socket: Socket, head: Buffer) => void): void {
    this.#server!.on("upgrade", handler);
  }

  /** Closes (or resets) every connection that carries no request now, as an origin's idle timer does. */
  closeIdle(reset = false): void {
    const server = this.#server;
    if (!server) return;
    if (!reset) {
      server.closeIdleConnections();
      return;
    }
    for (const socket of this.#sockets) if (!this.#busy.has(socket)) socket.resetAndDestroy();
  }

  /** Abrupt death: no new connection is accepted and every open one is destroyed, now. */
  kill(): void {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    server.close();
    server.closeAllConnections();
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    const seen: SeenRequest = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, at: performance.now(), answeredAt: null };
    this.requests.push(seen);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let counted = true;
    const socket = request.socket;
    this.#busy.add(socket);
    const done = (): void => {
      if (!counted) return;
      counted = false;
      this.#busy.delete(socket);
      this.inFlight -= 1;
      seen.answeredAt = performance.now();
    };
    response.once("finish", done);
    response.once("close", done);
    if (this.handler && request.url !== "/health") {
      this.handler(request, response, this);
      return;
    }
    response.writeHead(200, { "content-type": "text/plain", "x-server": this.name });
    response.end(request.url === "/health" ? "ok" : this.name);
  }
}

/** The statistics CSV as one record per row (column name → cell). */
export async function statsRows(port: number, uri: string, user: string, password: string): Promise<Record<string, string>[]> {
  const body = await new Promise<string>((done, fail) => {
    const request = httpRequest(
      { host: LOCALHOST, port, path: `${uri};csv`, agent: false, headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => (response.statusCode === 200 ? done(text) : fail(new Error(`stats answered ${response.statusCode}`))));
      },
    );
    request.on("error", fail);
    request.end();
  });
  const [header, ...lines] = body.trim().split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}

export function row(rows: Record<string, string>[], proxy: string, server: string): Record<string, string> {
  const found = rows.find((r) => r.pxname === proxy && r.svname === server);
  if (!found) throw new Error(`no stats row ${proxy}/${server}`);
  return found;
}

export interface LoopFailure {
  readonly loop: number;
  readonly keepAlive: boolean;
  readonly what: string;
  readonly at: number;
}

/**
 * `count` clients, each sending GET requests one after another until stopped: the first
 * `keepAlive` of them on one kept-alive connection, the others on a new connection each time
 * (`connection: close`). A request fails unless it gets 200 and a body naming a known server.
 */
export class LoadLoops {
  ok = 0;
  readonly failures: LoopFailure[] = [];
  readonly byServer = new Map<string, number>();
  #running = true;
  readonly #loops: Promise<void>[] = [];
  readonly #agents: Agent[] = [];

  constructor(
    readonly port: number,
    count: number,
    keepAlive: number,
    readonly knownServers: ReadonlySet<string>,
    readonly host = "lb.test",
    readonly requestTimeoutMs = 10_000,
  ) {
    for (let i = 0; i < count; i++) this.#loops.push(this.#loop(i, i < keepAlive));
  }

  get total(): number {
    return this.ok + this.failures.length;
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    for (const agent of this.#agents) agent.destroy();
  }

  async #loop(index: number, keepAlive: boolean): Promise<void> {
    const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : null;
    if (agent) this.#agents.push(agent);
    let n = 0;
    while (this.#running) {
      n += 1;
      const outcome = await this.#one(agent, `/loop${index}/${n}`);
      if (outcome.ok) {
        this.ok += 1;
        this.byServer.set(outcome.server, (this.byServer.get(outcome.server) ?? 0) + 1);
      } else this.failures.push({ loop: index, keepAlive, what: outcome.what, at: performance.now() });
    }
  }

  #one(agent: Agent | null, path: string): Promise<{ ok: true; server: string } | { ok: false; what: string }> {
    return new Promise((done) => {
      const request = httpRequest(
        { host: LOCALHOST, port: this.port, path, agent: agent ?? false, headers: agent ? { host: this.host } : { host: this.host, connection: "close" } },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => {
            if (response.statusCode === 200 && this.knownServers.has(body)) done({ ok: true, server: body });
            else done({ ok: false, what: `${path}: status ${response.statusCode} body ${JSON.stringify(body.slice(0, 120))}` });
          });
          response.on("error", (error) => done({ ok: false, what: `${path}: response error ${error.message}` }));
        },
      );
      request.setTimeout(this.requestTimeoutMs, () => request.destroy(new Error(`no answer within ${this.requestTimeoutMs} ms`)));
      request.on("error", (error) => done({ ok: false, what: `${path}: ${(error as NodeJS.ErrnoException).code ?? error.message}` }));
      request.end();
    });
  }
}

/**
 * A raw client connection that keeps everything it receives, for tests that must control what is
 * written when (pipelining, 100-continue, upgrades, half-close, pauses).
 */
export class RawClient {
  readonly socket: Socket;
  #received: Buffer[] = [];
  #length = 0;
  closed = false;
  ended = false;
  error: Error | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#received.push(chunk);
      this.#length += chunk.length;
    });
    socket.on("end", () => (this.ended = true));
    socket.on("error", (error) => (this.error = error));
    socket.on("close", () => (this.closed = true));
  }

  static connect(port: number, options: { localAddress?: string; allowHalfOpen?: boolean } = {}): Promise<RawClient> {
    return new Promise((done, fail) => {
      const socket = connect({ host: LOCALHOST, port, allowHalfOpen: options.allowHalfOpen ?? true, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
      socket.once("connect", () => {
        socket.off("error", fail);
        done(new RawClient(socket));
      });
      socket.once("error", fail);
    });
  }

  get length(): number {
    return this.#length;
  }

  get data(): Buffer {
    if (this.#received.length > 1) this.#received = [Buffer.concat(this.#received)];
    return this.#received[0] ?? Buffer.alloc(0);
  }

  get text(): string {
    return this.data.toString("latin1");
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async waitFor(test: (text: string) => boolean, timeoutMs: number, what: string): Promise<void> {
    await until(() => test(this.text) || this.closed, timeoutMs, what, () => JSON.stringify(this.text.slice(0, 300)));
    if (!test(this.text)) throw new Error(`connection closed while waiting for ${what}; got ${JSON.stringify(this.text.slice(0, 300))}`);
  }

  async waitClosed(timeoutMs: number): Promise<void> {
    await until(() => this.closed, timeoutMs, "the connection to close", () => JSON.stringify(this.text.slice(0, 300)));
  }

  /** The peer closed its side (FIN): with a half-open client the socket itself stays open for writing. */
  async waitEnded(timeoutMs: number): Promise<void> {
    await until(() => this.ended || this.closed, timeoutMs, "the peer to close the connection", () => JSON.stringify(this.text.slice(0, 300)));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Splits the bytes of one connection into complete HTTP/1.x responses (by content-length or
 * chunked framing; bodiless statuses and answers to HEAD have none). What follows the last
 * complete one is returned as `rest`.
 */
export function splitResponses(raw: string, headRequests: readonly boolean[] = []): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = raw.indexOf("\r\n\r\n", at);
    if (headEnd < 0) break;
    const head = raw.slice(at, headEnd + 4);
    const parsed = parseResponse(head);
    const status = parsed.status;
    const bodiless = headRequests[responses.length] === true || status === 204 || status === 304 || (status >= 100 && status < 200);
    let end = headEnd + 4;
    if (!bodiless) {
      if (/chunked/i.test(parsed.headers["transfer-encoding"] ?? "")) {
        let cursor = end;
        let complete = false;
        for (;;) {
          const lineEnd = raw.indexOf("\r\n", cursor);
          if (lineEnd < 0) break;
          const size = parseInt(raw.slice(cursor, lineEnd), 16);
          if (size === 0) {
            const trailerEnd = raw.indexOf("\r\n\r\n", lineEnd);
            if (trailerEnd < 0) break;
            cursor = trailerEnd + 4;
            complete = true;
            break;
          }
          if (raw.length < lineEnd + 2 + size + 2) break;
          cursor = lineEnd + 2 + size + 2;
        }
        if (!complete) break;
        end = cursor;
      } else if (parsed.headers["content-length"] !== undefined) {
        end = headEnd + 4 + Number(parsed.headers["content-length"]);
        if (raw.length < end) break;
      } else {
        break;
      }
    }
    responses.push(parseResponse(raw.slice(at, end)));
    at = end;
  }
  return { responses, rest: raw.slice(at) };
}

export interface EchoConnection {
  readonly socket: Socket;
  received: Buffer;
  /** The client's FIN reached the origin. */
  ended: boolean;
  closed: boolean;
}

/**
 * A TCP origin: greets each connection with `hello from <name>\n`, echoes what it receives, and
 * answers the client's FIN with `bye from <name>\n` before closing. On the line `SHUT\n` it closes
 * its own output at once (half-close) and keeps reading. Half-open connections are allowed.
 */
export class TcpEcho {
  readonly connections: EchoConnection[] = [];
  #server: TcpServer | null = null;
  #port = 0;

  private constructor(readonly name: string) {}

  static async start(name: string): Promise<TcpEcho> {
    const echo = new TcpEcho(name);
    const server = createTcpServer({ allowHalfOpen: true }, (socket) => echo.#accept(socket));
    await new Promise<void>((done) => server.listen(0, LOCALHOST, done));
    echo.#server = server;
    echo.#port = (server.address() as AddressInfo).port;
    return echo;
  }

  get port(): number {
    return this.#port;
  }

  get open(): number {
    return this.connections.filter((connection) => !connection.closed).length;
  }

  #accept(socket: Socket): void {
    const connection: EchoConnection = { socket, received: Buffer.alloc(0), ended: false, closed: false };
    this.connections.push(connection);
    socket.write(`hello from ${this.name}\n`);
    let shut = false;
    socket.on("data", (chunk: Buffer) => {
      connection.received = Buffer.concat([connection.received, chunk]);
      if (shut) return;
      if (connection.received.toString("latin1").endsWith("SHUT\n")) {
        shut = true;
        socket.end();
        return;
      }
      socket.write(chunk);
    });
    socket.on("end", () => {
      connection.ended = true;
      if (!shut) socket.end(`bye from ${this.name}\n`);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => (connection.closed = true));
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise((done) => server.close(done));
  }
}
