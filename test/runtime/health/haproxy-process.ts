/**
 * The real HAProxy 2.6 in the foreground (`-db`) on a generated haproxy.cfg, for the differential
 * tests: its stdout (where `log stdout local0` sends syslog lines) and stderr are collected line by line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinary } from "../../helpers/daemons.js";
import { LOCALHOST } from "./net-fixtures.js";

export interface SyslogLine {
  /** facility * 8 + severity, from `<PRI>`. */
  readonly priority: number;
  /** The message after `haproxy[pid]: `. */
  readonly message: string;
  /** Date.now() when the line was read. */
  readonly receivedAt: number;
}

const SYSLOG_LINE = /^<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d haproxy\[\d+\]: (.*)$/;

export class RunningHaproxy {
  readonly syslog: SyslogLine[] = [];
  readonly stderr: string[] = [];
  readonly #child: ChildProcess;
  readonly #dir: string;

  private constructor(child: ChildProcess, dir: string) {
    this.#child = child;
    this.#dir = dir;
    collectLines(child.stdout!, (line) => {
      const match = SYSLOG_LINE.exec(line);
      if (match) this.syslog.push({ priority: Number(match[1]), message: match[2]!, receivedAt: Date.now() });
    });
    collectLines(child.stderr!, (line) => this.stderr.push(line));
  }

  /** Starts HAProxy on `config` and resolves once `readyPort` on 127.0.0.1 accepts connections. */
  static async start(config: string, readyPort: number): Promise<RunningHaproxy> {
    const dir = mkdtempSync(join(tmpdir(), "halb-health-"));
    const cfgPath = join(dir, "haproxy.cfg");
    writeFileSync(cfgPath, config);
    const child = spawn(findBinary("haproxy"), ["-db", "-f", cfgPath], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const haproxy = new RunningHaproxy(child, dir);
    const deadline = Date.now() + 5000;
    while (!(await accepts(readyPort))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await haproxy.stop();
        throw new Error(`HAProxy did not start:\n${haproxy.stderr.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return haproxy;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((resolve) => this.#child.once("exit", resolve));
      this.#child.kill("SIGTERM");
      const killer = setTimeout(() => this.#child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

function collectLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    lines.forEach(onLine);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOCALHOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Ports for HAProxy's own binds: free a moment ago (the kernel hands out another next time). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, LOCALHOST, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** GET `path` on 127.0.0.1:port and return the body (for the stats CSV). */
export async function httpGet(port: number, path: string): Promise<string> {
  const response = await fetch(`http://${LOCALHOST}:${port}${path}`);
  return response.text();
}
