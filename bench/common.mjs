/**
 * What the benchmarks share (bench/run.mjs, bench/lint.mjs, bench/scaling.mjs, bench/memory.mjs,
 * bench/failover.mjs, bench/all.mjs): finding tools, the machine's description, medians, and
 * processes started in their own process group so that every way out can stop them.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = resolve(import.meta.dirname, "..");
export const BIN = join(ROOT, "bin/halb");

/** The absolute path of an installed tool (PATH, then /usr/sbin and /sbin), or an Error saying how to get it. */
export function which(name) {
  for (const dir of [...(process.env["PATH"] ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
    const path = join(dir, name);
    if (spawnSync("test", ["-x", path]).status === 0) return path;
  }
  throw new Error(`${name} is not installed (apt-get install ${name})`);
}

/** The machine and the tools' versions, for the report: ratios only mean something with it. */
export function machineInfo() {
  const cpus = os.cpus();
  const version = (command, args, re) => {
    try {
      const run = spawnSync(which(command), args, { encoding: "utf8" });
      return re.exec(`${run.stdout}${run.stderr}`)?.[1] ?? "?";
    } catch {
      return "not installed";
    }
  };
  return {
    cpu: cpus[0]?.model.trim() ?? "?",
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    haproxy: version("haproxy", ["-v"], /version (\S+)/),
    keepalived: version("keepalived", ["--version"], /Keepalived v(\S+)/),
    wrk: version("wrk", ["-v"], /^(wrk \S+)/m),
    loadavg: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A positive whole number from the environment, or the fallback; anything else stops the benchmark with one line. */
export function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`bench: ${name} must be a positive integer, not ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return value;
}

export function log(message) {
  process.stderr.write(`${message}\n`);
}

export function fmtInt(n) {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * Run a command to its end and return its wall time in ms (spawn to exit, what a CI step pays),
 * its stderr (and stdout when asked) and its exit code; throws when the code is not one of okCodes.
 */
export function timeRun(command, args, { okCodes = [0], env = process.env, cwd = ROOT, stdout = false } = {}) {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { stdio: ["ignore", stdout ? "pipe" : "ignore", "pipe"], encoding: "utf8", env, cwd, maxBuffer: 64 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(run.status ?? -1)) throw new Error(`${command} ${args.join(" ")} exited ${run.status ?? run.signal}: ${run.stderr}`);
  return { ms, stdout: run.stdout ?? "", stderr: run.stderr, status: run.status };
}

// ---------------------------------------------------------------------------------------------
// Long-running processes

/** Every process started and not yet known to be gone. */
const running = new Set();
let exitHooked = false;

/** Stop everything on Ctrl-C, kill, or any exit (an uncaught error included). */
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]]) {
    process.on(signal, () => {
      for (const child of running) killGroup(child, "SIGKILL");
      process.exit(128 + number);
    });
  }
  process.on("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

/**
 * Start a process in its own process group, its output going to `logFile` (when given) or piped.
 * The child gets `exitPromise` (resolves to its exit code).
 */
export function start(command, args, { logFile = "", env = process.env } = {}) {
  hookExit();
  const out = logFile ? openSync(logFile, "w") : "pipe";
  const child = spawn(command, args, { stdio: ["ignore", out, out], detached: true, env });
  if (typeof out === "number") closeSync(out);
  child.logFile = logFile;
  child.exitPromise = new Promise((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
    child.once("error", (err) => {
      child.spawnError = err;
      resolveExit(-1);
    });
  });
  running.add(child);
  void child.exitPromise.then(() => running.delete(child));
  return child;
}

/** How a process ended, for a message. */
export function describeExit(child) {
  if (child.spawnError) return child.spawnError.message;
  return child.signalCode ? `killed by ${child.signalCode}` : `exit ${child.exitCode}`;
}

export function exited(child) {
  return child.exitCode !== null || child.signalCode !== null || child.spawnError !== undefined;
}

/** SIGTERM the process group, SIGKILL it after 5 s, and wait for the leader to go. */
export async function stop(child) {
  if (!exited(child)) {
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
    await child.exitPromise;
    clearTimeout(timer);
  }
  killGroup(child, "SIGKILL"); // anything the leader forked and left behind
  running.delete(child);
}

export async function stopAll() {
  await Promise.all([...running].map((child) => stop(child)));
}

function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: already gone
  }
}

/** The end of a process's log, for an error message. */
export function logTail(child) {
  if (!child.logFile) return "";
  try {
    const tail = readFileSync(child.logFile, "utf8").trim().split("\n").slice(-4).join(" / ").replace(/\s+/g, " ");
    return tail ? `: ${tail.length > 300 ? `…${tail.slice(-300)}` : tail}` : "";
  } catch {
    return "";
  }
}

/** The pid and every descendant's pid (from /proc/<pid>/task/<tid>/children). */
export function processTree(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tasks) {
      try {
        for (const child of readFileSync(`/proc/${pids[i]}/task/${tid}/children`, "utf8").split(/\s+/).filter(Boolean)) pids.push(Number(child));
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return pids;
}

/** A field of /proc/<pid>/status in MB (VmHWM, VmRSS), or NaN when the process is gone. */
export function statusMB(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The proportional set size (shared pages divided among the processes sharing them) in MB, or NaN. */
export function pssMB(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Sockets (loopback only)

/** `count` distinct ports free on 127.0.0.1 right now. */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolveListen, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolveListen));
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r()))));
  }
}

/** One GET / on a fresh connection to 127.0.0.1:port. */
export function get(port) {
  return new Promise((resolveGet, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 2000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolveGet({ status: res.statusCode, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/** Wait until 127.0.0.1:port answers GET / with 200 "hello world"; resolves to undefined, or to why not. */
export async function waitReady(child, port, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (exited(child)) return `exited before serving (${describeExit(child)})${logTail(child)}`;
    const answer = await get(port).catch((err) => ({ error: err }));
    if (!("error" in answer)) {
      if (answer.status === 200 && answer.body === "hello world") return undefined;
      return `GET / answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 80))}, not 200 "hello world"`;
    }
    last = answer.error.code ?? answer.error.message;
    await sleep(100);
  }
  return `did not answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s (${last})`;
}

/** Wait until nothing listens on 127.0.0.1:port any more. */
export async function waitPortClosed(port) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const open = await new Promise((resolveConnect) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => (socket.destroy(), resolveConnect(true)));
      socket.once("error", () => resolveConnect(false));
    });
    if (!open) return;
    await sleep(100);
  }
  throw new Error(`127.0.0.1:${port} still accepts connections after its proxy stopped`);
}
