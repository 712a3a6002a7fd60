/**
 * A real HAProxy 2.6 in front of tiny HTTP servers, all on 127.0.0.1, to serve as the oracle for
 * the balancer's differential tests.
 *
 * One HAProxy process carries every backend under test; the frontend routes on the `x-backend`
 * request header. Each backend server is its own Node HTTP server answering `<backend>/<server>`.
 * A request carrying `x-hold: <token>` is held open by the server that receives it until the test
 * releases it, so tests can build up concurrent load (leastconn, first, maxconn) one step at a time.
 * Server state is changed through HAProxy's admin socket (`set server … state`, `set weight`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinary } from "../../helpers/daemons.js";

export interface LabServer {
  readonly name: string;
  readonly weight?: number;
  readonly backup?: boolean;
  readonly maxconn?: number;
  /** Starts in maintenance (`disabled`). */
  readonly disabled?: boolean;
  readonly id?: number;
}

export interface LabBackend {
  readonly name: string;
  readonly balance: string;
  readonly servers: readonly LabServer[];
  readonly options?: readonly string[];
  /** More backend lines, written as is (`hash-type consistent sdbm avalanche`). */
  readonly extraLines?: readonly string[];
}

/** Where the client connects: IPv4 on 127.0.0.1, IPv6 on ::1, or the IPv6 socket bound to ::ffff:127.0.0.1. */
export type LabListener = "ipv4" | "ipv6" | "ipv4-mapped";

export interface LabRequest {
  readonly path?: string;
  /** The client's own address (any 127.0.0.0/8 address, or ::1 for the IPv6 listener). */
  readonly localAddress?: string;
  readonly listener?: LabListener;
}

interface HeldRequest {
  readonly backend: string;
  server: string | null;
  readonly arrived: Promise<string>;
  readonly response: Promise<string>;
}

const HOLD_HEADER = "x-hold";

export class HaproxyLab {
  private readonly upstreams: http.Server[] = [];
  private readonly waitingForArrival = new Map<string, (server: string) => void>();
  private readonly releaseByToken = new Map<string, () => void>();
  private readonly held = new Map<string, HeldRequest>();
  private haproxy: ChildProcess | undefined;
  private haproxyOutput = "";
  private readonly ports: Record<LabListener, number> = { ipv4: 0, ipv6: 0, "ipv4-mapped": 0 };
  private readonly workDir = mkdtempSync(join(tmpdir(), "halb-balance-lab-"));
  private readonly adminSocket = join(this.workDir, "admin.sock");

  private constructor(private readonly backends: readonly LabBackend[]) {}

  static async start(backends: readonly LabBackend[]): Promise<HaproxyLab> {
    const lab = new HaproxyLab(backends);
    try {
      await lab.launch();
    } catch (error) {
      await lab.stop();
      throw error;
    }
    return lab;
  }

  /** A short `Connection: close` request; resolves with the name of the server that answered. */
  async request(backend: string, request: LabRequest = {}): Promise<string> {
    const body = await this.send(backend, request, {});
    return serverNameIn(body, backend);
  }

  /**
   * Sends a request the receiving server keeps open. Resolves with the server's name once it has
   * arrived, or null if none received it within `queuedAfterMs` (HAProxy queued it).
   */
  async hold(backend: string, token: string, queuedAfterMs = 400, request: LabRequest = {}): Promise<string | null> {
    const arrived = new Promise<string>((resolve) => this.waitingForArrival.set(token, resolve));
    const response = this.send(backend, request, { [HOLD_HEADER]: token });
    const entry: HeldRequest = { backend, server: null, arrived, response };
    this.held.set(token, entry);
    void arrived.then((server) => (entry.server = server));
    response.catch(() => undefined);
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), queuedAfterMs));
    return Promise.race([arrived, timeout]);
  }

  /**
   * Lets the server answer a held request, then reports which queued requests reached a server
   * because of the freed slot (in the order they were sent), once HAProxy's counters agree.
   */
  async release(token: string, queuedAfterMs = 400): Promise<{ token: string; server: string }[]> {
    const entry = this.held.get(token);
    if (!entry) throw new Error(`no held request ${token}`);
    await entry.arrived;
    this.releaseByToken.get(token)?.();
    await entry.response;
    this.held.delete(token);
    const dequeued: { token: string; server: string }[] = [];
    for (const [otherToken, other] of this.held) {
      if (other.backend !== entry.backend || other.server !== null) continue;
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), queuedAfterMs));
      const server = await Promise.race([other.arrived, timeout]);
      if (server !== null) dequeued.push({ token: otherToken, server });
    }
    await this.settle(entry.backend);
    return dequeued;
  }

  /** Sends a command on the admin socket and fails on any answer but an empty one. */
  async admin(command: string): Promise<void> {
    const answer = (await this.adminCommand(command)).trim();
    if (answer !== "") throw new Error(`haproxy rejected "${command}": ${answer}`);
  }

  /**
   * Waits until HAProxy's own counters (`show stat`: scur, qcur) for the backend's servers match
   * the requests this lab still holds open, so the next pick sees the same load the model does.
   */
  async settle(backend: string): Promise<void> {
    const expected = new Map<string, number>();
    for (const entry of this.held.values()) {
      if (entry.backend === backend && entry.server !== null) expected.set(entry.server, (expected.get(entry.server) ?? 0) + 1);
    }
    const deadline = Date.now() + 5000;
    for (;;) {
      const counts = await this.serverCounts(backend);
      const matches = [...counts].every(([server, count]) => count.current === (expected.get(server) ?? 0));
      if (matches) return;
      if (Date.now() > deadline) throw new Error(`haproxy counters for ${backend} did not settle: ${JSON.stringify([...counts])}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops HAProxy first, whatever else fails, then the upstream servers and their held requests. */
  async stop(): Promise<void> {
    try {
      const haproxy = this.haproxy;
      if (haproxy && haproxy.exitCode === null && haproxy.signalCode === null) {
        const exited = new Promise((resolve) => haproxy.once("exit", resolve));
        haproxy.kill("SIGTERM");
        await exited;
      }
    } finally {
      for (const server of this.upstreams) server.closeAllConnections();
      await Promise.all(this.upstreams.map((server) => new Promise((resolve) => server.close(resolve))));
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  private async launch(): Promise<void> {
    const serverLines = new Map<string, string[]>();
    for (const backend of this.backends) {
      const lines: string[] = [];
      for (const server of backend.servers) {
        const port = await this.startUpstream(`${backend.name}/${server.name}`);
        lines.push(serverLine(server, port));
      }
      serverLines.set(backend.name, lines);
    }
    this.ports.ipv4 = await freePort("127.0.0.1");
    this.ports.ipv6 = await freePort("::1");
    this.ports["ipv4-mapped"] = await freePort("127.0.0.1");
    const config = [
      "global",
      "    nbthread 1",
      `    stats socket ${this.adminSocket} level admin`,
      "",
      "defaults",
      "    mode http",
      "    timeout connect 5s",
      "    timeout client 60s",
      "    timeout server 60s",
      "    timeout queue 60s",
      "",
      "frontend lab",
      `    bind 127.0.0.1:${this.ports.ipv4}`,
      `    bind [::1]:${this.ports.ipv6}`,
      `    bind [::ffff:127.0.0.1]:${this.ports["ipv4-mapped"]}`,
      "    use_backend %[req.hdr(x-backend)]",
      ...this.backends.flatMap((backend) => [
        "",
        `backend ${backend.name}`,
        `    balance ${backend.balance}`,
        ...(backend.options ?? []).map((option) => `    option ${option}`),
        ...(backend.extraLines ?? []).map((line) => `    ${line}`),
        ...(serverLines.get(backend.name) ?? []),
      ]),
      "",
    ].join("\n");
    const configPath = join(this.workDir, "haproxy.cfg");
    writeFileSync(configPath, config);
    const haproxy = spawn(findBinary("haproxy"), ["-db", "-f", configPath], { stdio: ["ignore", "pipe", "pipe"] });
    this.haproxy = haproxy;
    // Should the test worker die without running afterAll, do not leave HAProxy behind.
    const killOnExit = (): void => void haproxy.kill("SIGKILL");
    process.once("exit", killOnExit);
    haproxy.once("exit", () => process.removeListener("exit", killOnExit));
    haproxy.stdout?.on("data", (chunk: Buffer) => (this.haproxyOutput += chunk.toString("utf8")));
    haproxy.stderr?.on("data", (chunk: Buffer) => (this.haproxyOutput += chunk.toString("utf8")));
    await this.waitUntilListening(configPath);
  }

  private async waitUntilListening(configPath: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.haproxy?.exitCode !== null && this.haproxy?.exitCode !== undefined) {
        throw new Error(`haproxy exited (${this.haproxy.exitCode}) with ${configPath}:\n${this.haproxyOutput}`);
      }
      try {
        await this.adminCommand("show info");
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`haproxy did not start:\n${this.haproxyOutput}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  private startUpstream(name: string): Promise<number> {
    const server = http.createServer((request, response) => {
      const token = request.headers[HOLD_HEADER];
      const answer = (): void => {
        if (typeof token === "string") this.releaseByToken.delete(token);
        response.writeHead(200, { "content-type": "text/plain", connection: "close" });
        response.end(name);
      };
      request.resume();
      if (typeof token !== "string") {
        answer();
        return;
      }
      this.releaseByToken.set(token, answer);
      this.waitingForArrival.get(token)?.(name.slice(name.indexOf("/") + 1));
    });
    this.upstreams.push(server);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        if (address === null || typeof address === "string") reject(new Error("upstream has no port"));
        else resolve(address.port);
      });
    });
  }

  private send(backend: string, request: LabRequest, extraHeaders: Record<string, string>): Promise<string> {
    const listener = request.listener ?? "ipv4";
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          host: listener === "ipv6" ? "::1" : "127.0.0.1",
          port: this.ports[listener],
          path: request.path ?? "/",
          method: "GET",
          agent: false,
          ...(request.localAddress === undefined ? {} : { localAddress: request.localAddress }),
          headers: { "x-backend": backend, connection: "close", ...absoluteFormHost(request.path), ...extraHeaders },
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => {
            if (response.statusCode === 200) resolve(body);
            else reject(new Error(`HTTP ${response.statusCode ?? "?"} from haproxy for ${backend}: ${body}`));
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end();
    });
  }

  private adminCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(this.adminSocket);
      let answer = "";
      socket.setEncoding("utf8");
      socket.on("connect", () => socket.end(`${command}\n`));
      socket.on("data", (chunk: string) => (answer += chunk));
      socket.on("end", () => resolve(answer));
      socket.on("error", reject);
    });
  }

  /** Current sessions of each server of the backend, from `show stat`. */
  private async serverCounts(backend: string): Promise<Map<string, { current: number }>> {
    const csv = await this.adminCommand("show stat");
    const [header, ...rows] = csv.trim().split("\n");
    const columns = (header ?? "").replace(/^# /, "").split(",");
    const column = (name: string): number => columns.indexOf(name);
    const counts = new Map<string, { current: number }>();
    for (const row of rows) {
      const fields = row.split(",");
      const server = fields[column("svname")] ?? "";
      if (fields[column("pxname")] !== backend || server === "BACKEND" || server === "FRONTEND") continue;
      counts.set(server, { current: Number(fields[column("scur")] ?? 0) });
    }
    return counts;
  }
}

function serverLine(server: LabServer, port: number): string {
  const words = [`server ${server.name} 127.0.0.1:${port}`, `weight ${server.weight ?? 1}`];
  if (server.backup) words.push("backup");
  if (server.maxconn !== undefined) words.push(`maxconn ${server.maxconn}`);
  if (server.disabled) words.push("disabled");
  if (server.id !== undefined) words.push(`id ${server.id}`);
  return `    ${words.join(" ")}`;
}

/** HAProxy rejects an absolute-form request whose Host differs from the URI's authority. */
function absoluteFormHost(path: string | undefined): Record<string, string> {
  const authority = /^[a-z]+:\/\/([^/?#]+)/i.exec(path ?? "")?.[1];
  return authority === undefined ? {} : { host: authority };
}

function serverNameIn(body: string, backend: string): string {
  const prefix = `${backend}/`;
  if (!body.startsWith(prefix)) throw new Error(`answer "${body}" does not come from backend ${backend}`);
  return body.slice(prefix.length);
}

/** An ephemeral port that was free a moment ago on that address. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = address !== null && typeof address !== "string" ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
