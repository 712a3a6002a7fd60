#!/usr/bin/env node
/**
 * Peak memory at 1,000 concurrent keep-alive connections (part of `npm run bench`): `halb run`
 * beside HAProxy on the same compiled spec as bench/run.mjs (bench/http-backend.mjs: one frontend
 * on 127.0.0.1, a round-robin pool of two origin servers that are one HAProxy process, `threads N`
 * with N the cores here), loopback only.
 *
 * For each tool, one at a time: start it, wait until it answers, note its resident memory at rest,
 * then run `wrk -t1 -c1000 -dSs` (1,000 keep-alive connections, each with a request in flight all
 * the time: the worst case for buffers), count the established connections on the frontend port
 * half-way, and when wrk is done read the peak resident set (VmHWM in /proc/<pid>/status) of the
 * tool's process and of every process it started (`halb run` with `threads N` is a primary and N
 * workers), summed. Shared pages (Node's own code) count once per process in that sum, so it
 * overstates what the processes take together; the largest proportional set size (Pss,
 * /proc/<pid>/smaps_rollup, sampled every 100 ms) is given beside it.
 *
 * `halb run` runs twice: with the spec's `threads N` (N + 1 processes: the target is on this one)
 * and with `threads 1` (one process), to show what one process takes.
 *
 * The median of BENCH_MEMORY_ROUNDS rounds (3), BENCH_MEMORY_SECONDS (5) of load each; the target:
 * halb run's peak ≤ 150 MB. `--json` adds one JSON object on the last line of stdout.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BENCH_NODE, backendConfig, benchSpec } from "./http-backend.mjs";
import {
  BIN,
  exited,
  fmtInt,
  freePorts,
  log,
  logTail,
  machineInfo,
  median,
  positiveInt,
  processTree,
  pssMB,
  start,
  statusMB,
  stop,
  stopAll,
  timeRun,
  waitPortClosed,
  waitReady,
  which,
} from "./common.mjs";

const ROUNDS = positiveInt("BENCH_MEMORY_ROUNDS", 3);
const SECONDS = positiveInt("BENCH_MEMORY_SECONDS", 5);
const CONNECTIONS = positiveInt("BENCH_MEMORY_CONNECTIONS", 1000);
const LIMIT_MB = 150;
const JSON_OUT = process.argv.includes("--json");

const work = mkdtempSync(join(os.tmpdir(), "halb-bench-memory-"));
try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench/memory: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const haproxy = which("haproxy");
  const wrk = which("wrk");
  const machine = machineInfo();
  const [frontPort, ...serverPorts] = await freePorts(3);

  const backendCfg = join(work, "backend.cfg");
  writeFileSync(backendCfg, backendConfig(serverPorts));
  const backend = start(haproxy, ["-db", "-f", backendCfg], { logFile: join(work, "origin.log") });
  for (const port of serverPorts) {
    const failure = await waitReady(backend, port);
    if (failure) throw new Error(`the origin servers did not start: ${failure}`);
  }

  // The spec of bench/run.mjs (`threads N`, N the cores), and the same with `threads 1`.
  const threads = os.availableParallelism();
  const compiled = (name, threadCount) => {
    const spec = join(work, `${name}.hal`);
    const out = join(work, name);
    writeFileSync(spec, benchSpec(frontPort, serverPorts, threadCount));
    timeRun(process.execPath, [BIN, "compile", spec, "-o", out]);
    if (!existsSync(join(out, BENCH_NODE, "haproxy.cfg"))) throw new Error(`halb compile wrote no ${out}/${BENCH_NODE}/haproxy.cfg`);
    return out;
  };
  const out = compiled("out", threads);
  const out1 = compiled("out1", 1);
  const cfg = join(out, BENCH_NODE, "haproxy.cfg");

  const tools = [
    { key: "haproxy", name: "HAProxy", threads, command: haproxy, args: ["-db", "-f", cfg] },
    { key: "halb", name: "halb run", threads, command: process.execPath, args: [BIN, "run", out, "--node", BENCH_NODE, "--master"] },
    { key: "halb1", name: "halb run", threads: 1, command: process.execPath, args: [BIN, "run", out1, "--node", BENCH_NODE, "--master"] },
  ];
  const samples = Object.fromEntries(tools.map((t) => [t.key, []]));
  log(`memory: wrk -t1 -c${CONNECTIONS} -d${SECONDS}s against each tool, ${ROUNDS} round(s)`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const tool of tools) {
      const sample = await measure(tool, { wrk, port: frontPort, round });
      if (exited(backend)) throw new Error(`the origin servers exited${logTail(backend)}`);
      samples[tool.key].push(sample);
      log(`  round ${round}: ${tool.name}, threads ${tool.threads}: peak RSS ${sample.hwmSumMB.toFixed(1)} MB over ${sample.processes} process(es) (at rest ${sample.restRssMB.toFixed(1)} MB), peak Pss ${sample.peakPssMB.toFixed(1)} MB, ${sample.established} connections established, ${fmtInt(sample.rps)} requests/s, ${sample.errors} errors`);
    }
  }

  const rows = Object.fromEntries(
    tools.map((t) => {
      const s = samples[t.key];
      const m = (key) => median(s.map((x) => x[key]));
      return [t.key, { tool: t.name, threads: t.threads, processes: m("processes"), restRssMB: m("restRssMB"), hwmSumMB: m("hwmSumMB"), hwmMaxMB: m("hwmMaxMB"), peakPssMB: m("peakPssMB"), established: m("established"), rps: m("rps"), errors: s.reduce((a, x) => a + x.errors, 0), samples: s }];
    }),
  );
  const halb = rows["halb"];
  const target = { name: `halb run peak memory at ${CONNECTIONS} connections (threads ${threads})`, value: halb.hwmSumMB, op: "<=", limit: LIMIT_MB, unit: "MB", holds: halb.hwmSumMB <= LIMIT_MB };

  const lines = ["", `peak memory at ${CONNECTIONS} concurrent keep-alive connections (wrk -t1 -c${CONNECTIONS} -d${SECONDS}s), median of ${ROUNDS} round(s)`];
  lines.push(`${"tool".padEnd(22)}${"processes".padStart(10)}${"at rest".padStart(10)}${"peak RSS".padStart(10)}${"largest".padStart(10)}${"peak Pss".padStart(10)}${"conns".padStart(8)}${"req/s".padStart(10)}`);
  for (const t of tools) {
    const r = rows[t.key];
    lines.push(`${`${t.name}, threads ${t.threads}`.padEnd(22)}${String(r.processes).padStart(10)}${r.restRssMB.toFixed(1).padStart(10)}${r.hwmSumMB.toFixed(1).padStart(10)}${r.hwmMaxMB.toFixed(1).padStart(10)}${r.peakPssMB.toFixed(1).padStart(10)}${String(r.established).padStart(8)}${fmtInt(r.rps).padStart(10)}`);
  }
  lines.push(`(MB; peak RSS is VmHWM summed over the tool's processes, largest the biggest single one)`);
  lines.push(`${target.name}: ${target.value.toFixed(1)} MB <= ${LIMIT_MB} MB  ${target.holds ? "yes" : "NO"}`);
  console.log(lines.join("\n"));
  if (JSON_OUT) console.log(JSON.stringify({ bench: "memory", connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, machine, rows, target }));
  return 0;
}

/** One tool, one round: start, rest, load, peak, stop. */
async function measure(tool, { wrk, port, round }) {
  const child = start(tool.command, tool.args, { logFile: join(work, `${tool.key}.${round}.log`) });
  try {
    const failure = await waitReady(child, port);
    if (failure) throw new Error(`${tool.name} did not start: ${failure}`);
    await sleep(500); // workers settle
    const restPids = processTree(child.pid);
    const restRssMB = sum(restPids.map((pid) => statusMB(pid, "VmRSS")));

    const pids = new Set(restPids);
    let peakPssMB = 0;
    let established = 0;
    const sampler = setInterval(() => {
      for (const pid of processTree(child.pid)) pids.add(pid);
      peakPssMB = Math.max(peakPssMB, sum([...pids].map((pid) => pssMB(pid))));
    }, 100);
    const halfway = setTimeout(() => (established = countEstablished(port)), (SECONDS * 1000) / 2);
    let result;
    try {
      result = await runWrk(wrk, port);
    } finally {
      clearInterval(sampler);
      clearTimeout(halfway);
    }
    for (const pid of processTree(child.pid)) pids.add(pid);
    const hwm = [...pids].map((pid) => statusMB(pid, "VmHWM")).filter((mb) => Number.isFinite(mb));
    if (exited(child)) throw new Error(`${tool.name} exited during the load${logTail(child)}`);
    return { processes: hwm.length, restRssMB, hwmSumMB: sum(hwm), hwmMaxMB: Math.max(...hwm), peakPssMB, established, ...result };
  } finally {
    await stop(child);
    await waitPortClosed(port);
  }
}

function sum(values) {
  return values.filter((v) => Number.isFinite(v)).reduce((a, b) => a + b, 0);
}

/** Established TCP connections whose local port is `port` (the proxy's side of wrk's connections). */
function countEstablished(port) {
  try {
    return execFileSync("ss", ["-Htn", "state", "established", `( sport = :${port} )`], { encoding: "utf8" }).split("\n").filter(Boolean).length;
  } catch {
    return NaN;
  }
}

/** wrk for SECONDS with CONNECTIONS connections; requests/s and errors. */
function runWrk(wrk, port) {
  return new Promise((resolveRun, reject) => {
    const args = ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--timeout", "10s", `http://127.0.0.1:${port}/`];
    const child = spawn(wrk, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (text += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (text += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`wrk ${args.join(" ")} exited ${code}: ${text}`));
      const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(text)?.[1] ?? NaN);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
      const errors = non2xx + (socket ? socket.slice(1, 5).reduce((a, n) => a + Number(n), 0) : 0);
      resolveRun({ rps, errors });
    });
  });
}
