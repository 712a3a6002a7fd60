/**
 * The differential conformance lab: ONE compiled spec, run first under the real HAProxy 2.6 (on
 * OUT/lb1/haproxy.cfg) and then under `halb run` (on OUT/ir.json), in front of the SAME origin
 * servers, with the same request scripts. HAProxy and halb run never run at the same time: they
 * bind the same frontend port, and the origins' state (held requests, behaviours, health-check
 * arrivals) belongs to one balancer at a time.
 *
 * Origins are Node HTTP servers on 127.0.0.1 that answer their own name (body and `x-server`),
 * record what they received, and switch behaviour on demand: delay, garbage, close, and being
 * killed and revived on the same port. A request whose path starts with `/hold` is held open until
 * the test releases it, so tests build up concurrent load one step at a time; a path containing
 * `cacheable` gets `cache-control: max-age=60`.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { RunningHaproxy } from "../health/haproxy-process.js";
import { compileSpec, freePort, HalbRun, LOCALHOST, LOOPBACK_CLUSTER, parseResponse, type RawResponse } from "../run/harness.js";

export { LOCALHOST, LOOPBACK_CLUSTER };

export type BalancerKind = "haproxy" | "halb";
export const KINDS: readonly BalancerKind[] = ["haproxy", "halb"];

/** A request as an origin received it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  /** Names and values as they came on the wire, in order. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly remoteAddress: string;
  readonly at: number;
}

/** What an origin does with the next request (health checks on /health always get 200 "ok"). */
export type Behaviour = "normal" | "garbage" | "close";

interface Held {
  readonly url: string;
  readonly release: () => void;
}

export class Origin {
  /** Requests other than health checks, in arrival order. */
  readonly requests: SeenRequest[] = [];
  /** Date.now() of every health check answered. */
  readonly checks: number[] = [];
  behaviour: Behaviour = "normal";
  delayMs = 0;
  readonly #held: Held[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #arrivalWaiters: (() => void)[] = [];
  readonly #checkWaiters: (() => void)[] = [];
  #server: Server | null = null;

  private constructor(
    readonly name: string,
    public port: number,
  ) {}

  static async start(name: string): Promise<Origin> {
    const origin = new Origin(name, 0);
    await origin.revive();
    return origin;
  }

  get alive(): boolean {
    return this.#server !== null;
  }

  get heldCount(): number {
    return this.#held.length;
  }

  /** Listens again (on the same port once it has one). */
  async revive(): Promise<void> {
    if (this.#server) return;
    const server = createHttpServer((request, response) => this.#handle(request, response));
    server.keepAliveTimeout = 60_000;
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(this.port, LOCALHOST, () => {
        server.off("error", fail);
        done();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and cuts every connection (a crashed server: connections are refused). */
  async kill(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    this.#held.splice(0);
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((done) => server.close(done));
  }

  /** Answers the oldest held request (or the one whose URL is `url`). */
  release(url?: string): string {
    const index = url === undefined ? 0 : this.#held.findIndex((held) => held.url === url);
    if (index < 0 || index >= this.#held.length) throw new Error(`${this.name} holds no request ${url ?? ""}`);
    const [held] = this.#held.splice(index, 1);
    held!.release();
    return held!.url;
  }

  releaseAll(): void {
    for (const held of this.#held.splice(0)) held.release();
  }

  /** Back to a plain, empty, listening server for the next balancer. */
  async reset(): Promise<void> {
    this.releaseAll();
    this.behaviour = "normal";
    this.delayMs = 0;
    this.requests.splice(0);
    this.checks.splice(0);
    await this.revive();
  }

  /** Resolves when a request (not a health check) arrives after this call. */
  nextArrival(): Promise<void> {
    return new Promise((done) => this.#arrivalWaiters.push(done));
  }

  /** Resolves once the next health check has been answered and its connection closed (the check is over). */
  nextCheck(): Promise<void> {
    return new Promise((done) => this.#checkWaiters.push(done));
  }

  async close(): Promise<void> {
    await this.kill();
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.once("end", () => {
      const url = request.url ?? "";
      if (url === "/health") {
        this.checks.push(Date.now());
        const waiters = this.#checkWaiters.splice(0);
        if (waiters.length > 0) request.socket.once("close", () => waiters.forEach((waiter) => waiter()));
        response.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
        response.end("ok");
        return;
      }
      this.requests.push({
        method: request.method ?? "",
        url,
        httpVersion: request.httpVersion,
        rawHeaders: [...request.rawHeaders],
        body: Buffer.concat(chunks).toString("latin1"),
        remoteAddress: request.socket.remoteAddress ?? "",
        at: Date.now(),
      });
      for (const waiter of this.#arrivalWaiters.splice(0)) waiter();
      if (this.behaviour === "garbage") {
        request.socket.end("this is not HTTP\r\n\r\n");
        return;
      }
      if (this.behaviour === "close") {
        request.socket.destroy();
        return;
      }
      const answer = (): void => {
        if (response.destroyed) return;
        const headers: Record<string, string> = { "content-type": "text/plain", "content-length": String(Buffer.byteLength(this.name)), "x-server": this.name };
        // A response a cache may keep (HAProxy then adds `cache-control: private` for `cookie … nocache`).
        if (url.includes("cacheable")) headers["cache-control"] = "max-age=60";
        response.writeHead(200, headers);
        response.end(this.name);
      };
      if (url.startsWith("/hold")) this.#held.push({ url, release: answer });
      else if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    });
  }
}

export async function startOrigins(...names: string[]): Promise<Origin[]> {
  return Promise.all(names.map((name) => Origin.start(name)));
}

/** A port nothing listens on (connections are refused). */
export const deadPort = freePort;
export { freePort };

export interface Reply extends RawResponse {
  /** Milliseconds from sending to the end of the answer. */
  readonly elapsedMs: number;
  /** Date.now() when the request was sent. */
  readonly sentAt: number;
}

export interface RequestOptions {
  readonly path?: string;
  readonly method?: string;
  /** Header lines in order; `host` comes first unless given here. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly host?: string;
  readonly body?: string;
  /** The client's own address (any 127.0.0.0/8 address). */
  readonly localAddress?: string;
  /** Keep the connection open (no `connection: close`): resolve once the answer is complete. */
  readonly keepAlive?: boolean;
  readonly timeoutMs?: number;
}

/**
 * One request on a new connection. With `connection: close` (the default) it resolves when the
 * balancer closes the connection, i.e. once the balancer is done with the stream.
 */
export function request(port: number, options: RequestOptions = {}): Promise<Reply> {
  const headers: [string, string][] = [];
  if (options.host !== undefined || !options.headers?.some(([name]) => name.toLowerCase() === "host")) headers.push(["host", options.host ?? "example.test"]);
  headers.push(...(options.headers ?? []).map(([name, value]): [string, string] => [name, value]));
  if (!options.keepAlive) headers.push(["connection", "close"]);
  if (options.body !== undefined) headers.push(["content-length", String(Buffer.byteLength(options.body))]);
  const head = `${options.method ?? "GET"} ${options.path ?? "/"} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
  return new Promise((done, fail) => {
    const sentAt = Date.now();
    const socket = connect({ port, host: LOCALHOST, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    let received = "";
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (received === "") fail(new Error(`no answer to ${options.path ?? "/"} (connection closed)`));
      else done({ ...parseResponse(received), elapsedMs: Date.now() - sentAt, sentAt });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      fail(new Error(`no complete answer to ${options.path ?? "/"} within ${options.timeoutMs ?? 5000} ms; got ${JSON.stringify(received)}`));
    }, options.timeoutMs ?? 5000);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (options.keepAlive && complete(received)) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    socket.write(head + (options.body ?? ""));
  });
}

function complete(raw: string): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = raw.slice(0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return raw.length - end - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return raw.endsWith("0\r\n\r\n");
  return false;
}

/** Which origin of `origins` answered (from `x-server`), or `<status>` for an answer from the balancer itself. */
export function who(reply: Reply): string {
  return reply.headers["x-server"] ?? `<${reply.status}>`;
}

/** Which origin received a request for `path`, or null. */
function receivedBy(origins: readonly Origin[], path: string): Origin | null {
  return origins.find((origin) => origin.requests.some((seen) => seen.url === path)) ?? null;
}

/** Resolves with the origin that receives `path`; rejects if `reply` settles first (it was answered, not held). */
async function arrivalOf(origins: readonly Origin[], path: string, reply: Promise<Reply>): Promise<string> {
  const answered = reply.then(
    (answer) => Promise.reject(new Error(`${path} was answered ${answer.status} instead of being held`)),
    (error: Error) => Promise.reject(error),
  );
  for (;;) {
    const arrived = Promise.race(origins.map((origin) => origin.nextArrival()));
    const origin = receivedBy(origins, path);
    if (origin) return origin.name;
    await Promise.race([arrived, answered]);
  }
}

/** Sends a `/hold…` request and resolves with the origin that received it (the answer comes on release). */
export async function hold(port: number, origins: readonly Origin[], path: string, options: RequestOptions = {}): Promise<{ server: string; reply: Promise<Reply> }> {
  const { arrived, reply } = sendHeld(port, origins, path, options);
  return { server: await arrived, reply };
}

/** Sends a `/hold…` request without waiting: `arrived` resolves with the origin that gets it (it may wait in a queue first). */
export function sendHeld(port: number, origins: readonly Origin[], path: string, options: RequestOptions = {}): { arrived: Promise<string>; reply: Promise<Reply> } {
  const reply = request(port, { ...options, path, timeoutMs: 15_000 });
  reply.catch(() => undefined);
  const arrived = arrivalOf(origins, path, reply);
  arrived.catch(() => undefined);
  return { arrived, reply };
}

/**
 * Requests held open on a pool of origins: `hold` sends one and says which server got it,
 * `release` answers the oldest one an origin holds and waits until the client has the whole answer
 * and the balancer closed the connection (so the balancer has already counted it as finished).
 */
export class HeldRequests {
  readonly #replies = new Map<string, Promise<Reply>>();
  #next = 1;

  constructor(
    readonly port: number,
    readonly origins: readonly Origin[],
    readonly options: RequestOptions = {},
  ) {}

  async hold(): Promise<string> {
    return this.send().arrived;
  }

  /** Sends the next held request; `arrived` says which server it reached, whenever it does. */
  send(): { path: string; arrived: Promise<string> } {
    const path = `/hold/${this.#next++}`;
    const { arrived, reply } = sendHeld(this.port, this.origins, path, this.options);
    this.#replies.set(path, reply);
    return { path, arrived };
  }

  async release(origin: Origin): Promise<Reply> {
    const url = origin.release();
    const reply = await this.#replies.get(url)!;
    this.#replies.delete(url);
    return reply;
  }

  /** Releases everything still held (and whatever arrives meanwhile) and waits for the answers. */
  async releaseAll(): Promise<void> {
    const pending = [...this.#replies.values()];
    this.#replies.clear();
    const releaser = setInterval(() => this.origins.forEach((origin) => origin.releaseAll()), 5);
    this.origins.forEach((origin) => origin.releaseAll());
    await Promise.allSettled(pending);
    clearInterval(releaser);
  }
}

/** Polls `test` every `everyMs` until it is true; throws after `timeoutMs`. */
export async function until(test: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

export interface Balancer {
  readonly kind: BalancerKind;
  readonly port: number;
  stop(): Promise<void>;
  /** Diagnostics for a failure message. */
  output(): string;
}

export interface Lab {
  readonly out: string;
  readonly port: number;
  readonly haproxyCfg: string;
  start(kind: BalancerKind): Promise<Balancer>;
  cleanup(): void;
}

/** Compiles `spec(port)` once; both balancers run that one output. */
export async function compileLab(spec: (port: number) => string): Promise<Lab> {
  const port = await freePort();
  const compiled = compileSpec(spec(port));
  const haproxyCfg = readFileSync(join(compiled.out, "lb1", "haproxy.cfg"), "utf8");
  return {
    out: compiled.out,
    port,
    haproxyCfg,
    cleanup: compiled.cleanup,
    async start(kind) {
      if (kind === "haproxy") {
        const haproxy = await RunningHaproxy.start(haproxyCfg, port);
        return { kind, port, stop: () => haproxy.stop(), output: () => haproxy.stderr.join("\n") };
      }
      const run = await HalbRun.start(compiled.out);
      return { kind, port, stop: () => run.stop(), output: () => [...run.stderr, ...run.stdout].join("\n") };
    },
  };
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
export type Scenario = (balancer: Balancer) => Promise<unknown>;
export type Results = Record<BalancerKind, Record<string, Outcome<unknown>>>;

/**
 * Runs every scenario, in order, under HAProxy and then under halb run (one process each), resetting
 * the origins before each balancer. A scenario that throws records its error instead of a value.
 */
export async function runScenarios(lab: Lab, origins: readonly Origin[], scenarios: Record<string, Scenario>): Promise<Results> {
  const results = { haproxy: {}, halb: {} } as Results;
  for (const kind of KINDS) {
    for (const origin of origins) await origin.reset();
    const balancer = await lab.start(kind);
    try {
      for (const [name, scenario] of Object.entries(scenarios)) {
        try {
          results[kind][name] = { ok: true, value: await scenario(balancer) };
        } catch (error) {
          results[kind][name] = { ok: false, error: `${kind}: ${(error as Error).message}` };
        } finally {
          for (const origin of origins) origin.releaseAll();
        }
      }
    } finally {
      await balancer.stop();
    }
  }
  return results;
}

/** The value one balancer produced for a scenario; a scenario error fails the test with its message. */
export function valueOf<T>(results: Results, kind: BalancerKind, name: string): T {
  const outcome = results[kind][name];
  if (!outcome) throw new Error(`scenario ${name} did not run under ${kind}`);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value as T;
}
