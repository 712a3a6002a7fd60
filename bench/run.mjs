#!/usr/bin/env node
/**
 * `npm run bench:run`: `halb run` as a load balancer, beside real HAProxy and node-http-proxy, all
 * three measured here, in this run, on the same config, the same origin servers and the same load.
 *
 * What it does (loopback only: every socket is on 127.0.0.1):
 *   1. starts the origin servers: one HAProxy process (`haproxy -db -f backend.cfg`, one thread) with
 *      two frontends that answer `200 text/plain "hello world"` themselves (bench/http-backend.mjs);
 *   2. writes a .hal spec (one frontend on 127.0.0.1:PORT, `default ->` a `balance roundrobin` pool
 *      of those two servers, timeouts set, no health checks) to a temp dir and compiles it with
 *      `bin/halb compile spec.hal -o OUT`;
 *   3. runs, one after the other (never two at once: the machines are shared and noisy), each for
 *      the same time after the same warm-up, driven by `wrk -t1 -cN -dSs --latency`:
 *        a. HAProxy on the compiled OUT/lb1/haproxy.cfg, unedited (`haproxy -db -f`; the spec says
 *           `threads N`, N = the cores here, HAProxy's own default, so both tools use every core);
 *        b. `node bin/halb run OUT --node lb1 --master` (N worker processes for `threads N`); when it is missing or fails to start its row
 *           says "not available: <why>" and the other rows still run;
 *        c. node-http-proxy (`http-proxy` from npm, with a keep-alive agent) round-robining the same
 *           two servers (bench/node-http-proxy.mjs);
 *      before each run one plain GET must answer 200 "hello world", and a few more must reach both
 *      servers (a warning is printed when they do not);
 *   4. prints requests/s, p50 and p99 latency and errors per tool, the ratios halb/HAProxy (requests/s,
 *      p99) and halb/node-http-proxy (requests/s) against the targets (halb run >= 0.5x HAProxy's
 *      requests/s, p99 <= 3x HAProxy's, >= 2x node-http-proxy's requests/s; a row with more than 1%
 *      errors meets no target), and the machine;
 *   5. stops every process it started and removes the temp dir, also on failure and on Ctrl-C.
 *
 * Knobs (environment): BENCH_SECONDS (10) per measured run, BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (64), BENCH_ROUNDS (1; more rounds interleave the tools a,b,c,a,b,c… and report
 * the median of each number), BENCH_START_TIMEOUT_SECONDS (15) for a proxy to accept connections.
 * `--json` (or BENCH_JSON=1) adds the numbers as one JSON object on the last line of stdout; progress
 * goes to stderr.
 *
 * Exit 0 whether the targets hold or not; 1 only when the harness itself breaks (a tool missing, the
 * origin servers or a reference row (HAProxy, node-http-proxy) failing, the spec not compiling).
 *
 * Needs /usr/sbin/haproxy and wrk (`apt-get install haproxy wrk`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { describeExit, exited, fmtInt, freePorts, get, log, logTail, machineInfo, median, positiveInt, start, stop, stopAll, waitPortClosed, waitReady, which } from "./common.mjs";
import { BENCH_NODE, backendConfig, benchSpec } from "./http-backend.mjs";

const SECONDS = positiveInt("BENCH_SECONDS", 10);
const WARMUP_SECONDS = positiveInt("BENCH_WARMUP_SECONDS", 2);
const CONNECTIONS = positiveInt("BENCH_CONNECTIONS", 64);
const ROUNDS = positiveInt("BENCH_ROUNDS", 1);
const START_TIMEOUT_MS = positiveInt("BENCH_START_TIMEOUT_SECONDS", 15) * 1000;
const JSON_OUT = process.argv.includes("--json") || process.env["BENCH_JSON"] === "1";
const BIN = resolve(import.meta.dirname, "../bin/halb");
const NODE_HTTP_PROXY = resolve(import.meta.dirname, "node-http-proxy.mjs");
const SERVER_COUNT = 2;
/** Above this share of failed responses a row meets no target: fast errors are not throughput. */
const MAX_ERROR_RATE = 0.01;

/** The temp dir, once made; removed on any exit (bench/common.mjs stops the processes on signals). */
let work = "";
process.on("exit", removeWork);

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench:run: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  removeWork();
}

/** The whole run; resolves to the exit code. */
async function main() {
  const haproxy = which("haproxy");
  const wrk = which("wrk");
  const machine = machineInfo();
  work = mkdtempSync(join(os.tmpdir(), "halb-bench-run-"));

  // Ports: the origin servers', and one frontend port that every proxy binds in turn.
  const [frontPort, ...serverPorts] = await freePorts(SERVER_COUNT + 1);
  const url = `http://127.0.0.1:${frontPort}/`;

  // 1. The origin servers.
  const backendCfg = join(work, "backend.cfg");
  writeFileSync(backendCfg, backendConfig(serverPorts));
  const backend = startLogged("origin servers", haproxy, ["-db", "-f", backendCfg]);
  for (const port of serverPorts) {
    const failure = await waitReady(backend, port, START_TIMEOUT_MS);
    if (failure) throw new Error(`the origin servers (HAProxy on ${backendCfg}) did not start: ${failure}`);
  }

  // 2. The spec, compiled.
  const spec = join(work, "spec.hal");
  const out = join(work, "out");
  writeFileSync(spec, benchSpec(frontPort, serverPorts));
  const compile = spawnSync(process.execPath, [BIN, "compile", spec, "-o", out], { encoding: "utf8" });
  if (compile.status !== 0) throw new Error(`halb compile failed (exit ${compile.status}):\n${compile.stderr}${compile.stdout}`);
  const cfg = join(out, BENCH_NODE, "haproxy.cfg");
  if (!existsSync(cfg)) throw new Error(`halb compile wrote no ${cfg}`);

  // 3. The tools, one at a time.
  const tools = [
    { key: "haproxy", name: "HAProxy", reference: true, command: haproxy, args: ["-db", "-f", cfg] },
    { key: "halb", name: "halb run", reference: false, command: process.execPath, args: [BIN, "run", out, "--node", BENCH_NODE, "--master"] },
    { key: "nodeHttpProxy", name: "node-http-proxy", reference: true, command: process.execPath, args: [NODE_HTTP_PROXY, String(frontPort), ...serverPorts.map(String)] },
  ];
  /** @type {Record<string, { samples: any[], failure?: string, warnings: string[] }>} */
  const results = Object.fromEntries(tools.map((t) => [t.key, { samples: [], warnings: [] }]));
  log(`wrk -t1 -c${CONNECTIONS} -d${SECONDS}s --latency ${url} after a ${WARMUP_SECONDS} s warm-up; ${ROUNDS} round(s)`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const tool of tools) {
      const result = results[tool.key];
      if (result.failure) continue; // it failed in an earlier round; do not retry
      log(`round ${round}/${ROUNDS}: ${tool.name}…`);
      const sample = await measure(tool, { wrk, url, port: frontPort, backend, result });
      if ("failure" in sample) {
        result.failure = sample.failure;
        log(`  not available: ${sample.failure}`);
      } else {
        result.samples.push(sample);
        log(`  ${fmtInt(sample.rps)} requests/s, p99 ${fmtMs(sample.p99Ms)} ms, ${sample.errors} errors`);
      }
    }
  }

  // 4. The report.
  const rows = Object.fromEntries(tools.map((t) => [t.key, summarize(t, results[t.key])]));
  const targets = evaluateTargets(rows);
  printReport(machine, tools, rows, targets, url);
  const broken = tools.filter((t) => t.reference && !rows[t.key].available);
  for (const t of broken) console.error(`bench:run: the reference row ${t.name} failed: ${rows[t.key].reason}`);
  if (JSON_OUT) {
    const json = {
      bench: "run",
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      machine,
      rows,
      targets,
    };
    console.log(JSON.stringify(json));
  }
  return broken.length > 0 ? 1 : 0;
}

/**
 * Start one tool, wait until it serves, check it answers right, warm it up, measure it, stop it.
 * Resolves to the numbers, or to `{ failure }` saying why there are none.
 */
async function measure(tool, { wrk, url, port, backend, result }) {
  const child = startLogged(tool.name, tool.command, tool.args);
  try {
    const failure = await waitReady(child, port, START_TIMEOUT_MS);
    if (failure) return { failure };
    const servers = await serversReached(port, 2 * SERVER_COUNT);
    if (servers.size < SERVER_COUNT) {
      const warning = `${2 * SERVER_COUNT} requests reached ${[...servers].join(", ") || "no known server"}, not all ${SERVER_COUNT} servers`;
      if (!result.warnings.includes(warning)) result.warnings.push(warning);
    }
    await runWrk(wrk, url, WARMUP_SECONDS);
    const sample = await runWrk(wrk, url, SECONDS);
    if (exited(child)) return { failure: `exited during the run (${describeExit(child)})${logTail(child)}` };
    if (exited(backend)) throw new Error(`the origin servers exited during the ${tool.name} run${logTail(backend)}`);
    return sample;
  } finally {
    await stop(child);
    await waitPortClosed(port);
  }
}

/** Run wrk against url for `seconds` and parse its --latency report. */
async function runWrk(wrk, url, seconds) {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", url];
  const child = start(wrk, args);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d) => (stderr += d));
  const code = await child.exitPromise;
  if (code !== 0) throw new Error(`wrk ${args.join(" ")} exited ${code}: ${stderr || stdout}`);
  return parseWrk(stdout);
}

/**
 * The numbers of one wrk --latency report:
 *   "    99%    1.52ms", "  123456 requests in 10.00s, …", "Requests/sec:  12345.67",
 *   "  Socket errors: connect 0, read 1, write 0, timeout 0", "  Non-2xx or 3xx responses: 5".
 */
function parseWrk(text) {
  const number = (re, what) => {
    const m = re.exec(text);
    if (!m) throw new Error(`no ${what} in wrk's output:\n${text}`);
    return m;
  };
  const rps = Number(number(/^Requests\/sec:\s+([\d.]+)/m, "Requests/sec")[1]);
  const p50 = number(/^\s*50(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m, "p50");
  const p99 = number(/^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m, "p99");
  const requests = Number(number(/^\s*(\d+) requests in /m, "request count")[1]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return {
    rps,
    p50Ms: toMs(Number(p50[1]), p50[2]),
    p99Ms: toMs(Number(p99[1]), p99[2]),
    requests,
    non2xx,
    socketErrors,
    errors: non2xx + socketErrors,
  };
}

/** wrk's time units (us, ms, s, m, h) to milliseconds. */
function toMs(value, unit) {
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit];
  if (scale === undefined) throw new Error(`unknown time unit ${unit} in wrk's output`);
  return value * scale;
}

/** One row of the report: the median of each number over the rounds, or why there is none. */
function summarize(tool, result) {
  const base = { tool: tool.name, warnings: result.warnings };
  if (result.failure || result.samples.length === 0) {
    return { ...base, available: false, reason: result.failure ?? "no sample" };
  }
  const s = result.samples;
  const requests = s.reduce((sum, x) => sum + x.requests, 0);
  const errors = s.reduce((sum, x) => sum + x.errors, 0);
  return {
    ...base,
    available: true,
    rps: median(s.map((x) => x.rps)),
    p50Ms: median(s.map((x) => x.p50Ms)),
    p99Ms: median(s.map((x) => x.p99Ms)),
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : 0,
    samples: s,
  };
}

/**
 * The three targets of the issue, each with its value (null when a row is missing) and whether it
 * holds (null when it could not be measured; false when halb run's responses were mostly errors).
 */
function evaluateTargets(rows) {
  const { halb, haproxy, nodeHttpProxy } = rows;
  const target = (name, against, ratio, op, limit) => {
    if (!halb.available) return { name, value: null, op, limit, holds: null, note: "halb run not available" };
    if (!against.available) return { name, value: null, op, limit, holds: null, note: `${against.tool} not available` };
    const value = ratio();
    if (halb.errorRate > MAX_ERROR_RATE) {
      return { name, value, op, limit, holds: false, note: `${pct(halb.errorRate)} of halb run's responses were errors` };
    }
    return { name, value, op, limit, holds: op === ">=" ? value >= limit : value <= limit, note: "" };
  };
  return [
    target("halb/HAProxy requests/s", haproxy, () => halb.rps / haproxy.rps, ">=", 0.5),
    target("halb/HAProxy p99", haproxy, () => halb.p99Ms / haproxy.p99Ms, "<=", 3),
    target("halb/node-http-proxy requests/s", nodeHttpProxy, () => halb.rps / nodeHttpProxy.rps, ">=", 2),
  ];
}

function printReport(machine, tools, rows, targets, url) {
  const lines = [];
  lines.push("");
  lines.push(`halb run vs HAProxy vs node-http-proxy: ${url} → ${SERVER_COUNT} origin servers (HAProxy, 1 thread), loopback`);
  lines.push(`load: wrk -t1 -c${CONNECTIONS} -d${SECONDS}s --latency, after a ${WARMUP_SECONDS} s warm-up, one tool at a time` + (ROUNDS > 1 ? `; median of ${ROUNDS} rounds` : ""));
  lines.push(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}; node ${machine.node}; HAProxy ${machine.haproxy}; ${machine.wrk}; load average at start ${machine.loadavg}`);
  lines.push("");
  lines.push(`${"tool".padEnd(17)}${"requests/s".padStart(12)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}${"errors".padStart(10)}`);
  for (const tool of tools) {
    const row = rows[tool.key];
    if (!row.available) {
      lines.push(`${tool.name.padEnd(17)}not available: ${row.reason}`);
    } else {
      lines.push(`${tool.name.padEnd(17)}${fmtInt(row.rps).padStart(12)}${fmtMs(row.p50Ms).padStart(10)}${fmtMs(row.p99Ms).padStart(10)}${String(row.errors).padStart(10)}`);
    }
    for (const w of row.warnings) lines.push(`${"".padEnd(17)}warning: ${w}`);
  }
  lines.push("");
  lines.push(`${"ratio".padEnd(33)}${"value".padStart(8)}  target     holds`);
  for (const t of targets) {
    const value = t.value === null ? "n/a" : `${t.value.toFixed(2)}x`;
    const holds = t.holds === null ? `n/a (${t.note})` : (t.holds ? "yes" : "NO") + (t.note ? ` (${t.note})` : "");
    lines.push(`${t.name.padEnd(33)}${value.padStart(8)}  ${t.op} ${t.limit.toFixed(2)}x  ${holds}`);
  }
  console.log(lines.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// What only this benchmark needs (the rest is bench/common.mjs)

/** Starts a tool in its own process group, its output in a log file in the temp dir (read back to explain a failure). */
function startLogged(name, command, args) {
  return start(command, args, { logFile: join(work, `${name.replace(/[^A-Za-z0-9]+/g, "-")}.${Date.now()}.log`) });
}

function removeWork() {
  if (work) rmSync(work, { recursive: true, force: true });
  work = "";
}

/** Which origin servers (their `x-server` header) `count` fresh GETs reached. */
async function serversReached(port, count) {
  const seen = new Set();
  for (let i = 0; i < count; i++) {
    const answer = await get(port).catch(() => undefined);
    const server = answer?.headers["x-server"];
    if (typeof server === "string") seen.add(server);
  }
  return seen;
}

function fmtMs(ms) {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function pct(rate) {
  return `${(rate * 100).toFixed(1)}%`;
}
