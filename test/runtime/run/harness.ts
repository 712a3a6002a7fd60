/**
 * What the `halb run` tests share: a spec compiled by the real bin/halb, `halb run` as a real
 * process, origin servers that say who they are, and a raw HTTP client. Loopback only.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const BIN = resolve("bin/halb");
export const LOCALHOST = "127.0.0.1";

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, LOCALHOST, done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** A spec's cluster block for loopback tests (the node address is 127.0.0.1). */
export const LOOPBACK_CLUSTER = `cluster t {
  interface lo
  vip 127.0.0.100/8
  vrid 51
  node lb1 127.0.0.1 master
}
`;

export function compileSpec(spec: string): { out: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "halb-run-"));
  writeFileSync(join(dir, "spec.hal"), spec);
  const out = join(dir, "out");
  const result = spawnSync(process.execPath, [BIN, "compile", join(dir, "spec.hal"), "-o", out], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`halb compile failed:\n${result.stderr}`);
  return { out, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export class HalbRun {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private constructor(readonly child: ChildProcess) {
    collect(child.stdout!, this.stdout);
    collect(child.stderr!, this.stderr);
  }

  /** Starts `halb run OUT --node lb1 --master` and waits until it says it serves. */
  static start(out: string, extra: readonly string[] = [], env: Record<string, string> = {}): Promise<HalbRun> {
    return HalbRun.launch([out, "--node", "lb1", "--master", ...extra], env);
  }

  /** Starts `halb run ARGS…` and waits until it says it serves. */
  static async launch(args: readonly string[], env: Record<string, string> = {}): Promise<HalbRun> {
    const child = spawn(process.execPath, [BIN, "run", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    const run = new HalbRun(child);
    await run.waitFor(() => run.stderr.some((line) => line.includes(" serving ")), 10_000, "halb run to start");
    return run;
  }

  async waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (this.child.exitCode !== null) throw new Error(`halb run exited (${this.child.exitCode}) while waiting for ${what}:\n${this.stderr.join("\n")}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.stderr.join("\n")}\n${this.stdout.join("\n")}`);
      await sleep(20);
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  async exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((done) => this.child.once("exit", (code) => done(code)));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await new Promise((done) => this.child.once("exit", done));
  }
}

function collect(stream: NodeJS.ReadableStream, into: string[]): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    into.push(...lines);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** An origin server that answers `name` (body and `x-server`), and records the requests it saw. */
export class Origin {
  readonly requests: { method: string; url: string; headers: IncomingMessage["rawHeaders"] }[] = [];
  delayMs = 0;
  private constructor(
    readonly name: string,
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(name: string, port = 0): Promise<Origin> {
    let origin: Origin | null = null;
    const server = createHttpServer((request, response) => {
      origin!.requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.rawHeaders });
      const answer = (): void => {
        response.writeHead(200, { "content-type": "text/plain", "x-server": name });
        response.end(request.url === "/health" ? "ok" : name);
      };
      request.resume();
      request.once("end", () => (origin!.delayMs > 0 ? setTimeout(answer, origin!.delayMs) : answer()));
    });
    await new Promise<void>((done) => server.listen(port, LOCALHOST, done));
    origin = new Origin(name, server, (server.address() as AddressInfo).port);
    return origin;
  }

  /** Requests other than health checks. */
  get served(): number {
    return this.requests.filter((request) => request.url !== "/health").length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly headerLines: string[];
  readonly body: string;
  readonly raw: string;
}

/** Sends raw bytes on a new connection and reads until the server closes or `until` says a full answer came. */
export function rawExchange(port: number, data: string | Buffer, options: { waitMs?: number; endInput?: boolean; host?: string } = {}): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, options.host ?? LOCALHOST);
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      done(received);
    }, options.waitMs ?? 5000);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      if (received) done(received);
      else fail(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      done(received);
    });
    socket.write(data);
    if (options.endInput) socket.end();
  });
}

/** A GET through the proxy with fetch's keep-alive-free sibling: one request, one connection. */
export async function get(port: number, path = "/", headers: Record<string, string> = {}): Promise<RawResponse> {
  const head = Object.entries({ host: "example.com", connection: "close", ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return parseResponse(await rawExchange(port, `GET ${path} HTTP/1.1\r\n${head}\r\n`));
}

export function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const head = end < 0 ? raw : raw.slice(0, end);
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const payload = end < 0 ? "" : raw.slice(end + 4);
  const body = /chunked/i.test(headers["transfer-encoding"] ?? "") ? dechunk(payload) : payload;
  return { status: Number(statusLine.split(" ")[1]), headers, headerLines, body, raw };
}

function dechunk(payload: string): string {
  let body = "";
  let at = 0;
  for (;;) {
    const lineEnd = payload.indexOf("\r\n", at);
    if (lineEnd < 0) return body;
    const size = parseInt(payload.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += payload.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
