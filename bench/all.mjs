#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark of the performance issue, one after the other (never two at
 * once: the machines are shared and noisy), then one report, bench/results/latest.md, with the
 * figures, the targets, the machine and the command. docs/performance.md explains how to read it.
 *
 *   1. bench/scaling.mjs   halb compile and halb lint against haproxy -c, 20/200/2,000 backends, phases
 *   2. bench/run.mjs       halb run against HAProxy and node-http-proxy, wrk -t1 -c64, keep-alive
 *   3. bench/memory.mjs    peak memory at 1,000 concurrent keep-alive connections
 *   4. bench/failover.mjs  the failover tests' figures (needs root)
 *
 * Each one prints its progress and its own report on stderr/stdout and its numbers as one JSON line,
 * which this collects. `--only scaling,run,…` runs some of them (the report says which did not run).
 * The knobs of each benchmark (its header says which) pass through the environment; the runtime
 * benchmark defaults here to BENCH_ROUNDS=3 and BENCH_SECONDS=8.
 *
 * Exit 1 when a benchmark breaks (a tool missing, a reference row failing), 0 otherwise, whether
 * the targets hold or not: the report says which do.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmtInt, log, machineInfo, ROOT } from "./common.mjs";

/** The targets of the runtime (issue 6); bench/run.mjs's own report uses older ones. */
const RUN_TARGETS = { vsHaproxy: 0.6, p99VsHaproxy: 2, vsNodeHttpProxy: 2.5, maxErrorRate: 0.01 };
const BENCHES = [
  { key: "scaling", script: "scaling.mjs", env: {} },
  { key: "run", script: "run.mjs", env: { BENCH_ROUNDS: process.env["BENCH_ROUNDS"] ?? "3", BENCH_SECONDS: process.env["BENCH_SECONDS"] ?? "8" } },
  { key: "memory", script: "memory.mjs", env: {} },
  { key: "failover", script: "failover.mjs", env: {} },
];

const onlyArg = process.argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : process.argv[process.argv.indexOf(onlyArg) + 1] ?? "").split(",") : null;
const startedAt = new Date();
const machine = machineInfo();
const results = {};
let broken = false;
for (const bench of BENCHES) {
  if (only && !only.includes(bench.key)) continue;
  log(`\n=== bench/${bench.script} ===`);
  const started = Date.now();
  const outcome = await runBench(bench);
  results[bench.key] = { ...outcome, seconds: (Date.now() - started) / 1000 };
  if (!outcome.json) broken = true;
}

const report = render();
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
const path = join(ROOT, "bench/results/latest.md");
writeFileSync(path, report);
log(`\nbench: wrote ${path}`);
process.stdout.write(report);
process.exitCode = broken ? 1 : 0;

/** Run one benchmark with --json; its JSON (null when it broke), its exit code and its report text. */
function runBench(bench) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", bench.script), "--json"], { cwd: ROOT, env: { ...process.env, ...bench.env }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.on("exit", (code) => {
      const lines = stdout.trim().split("\n");
      const last = lines.at(-1) ?? "";
      // Its own report, without the JSON line, goes to stderr with its progress.
      process.stderr.write(`${(last.startsWith("{") ? lines.slice(0, -1) : lines).join("\n")}\n`);
      let json = null;
      try {
        json = last.startsWith("{") ? JSON.parse(last) : null;
      } catch {
        json = null;
      }
      resolveRun({ code, json });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The report

function render() {
  const targets = [];
  const sections = [renderScaling(targets), renderRun(targets), renderMemory(targets), renderFailover(targets)];
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]) ? " with uncommitted changes" : "";
  const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const knobs = Object.entries(process.env).filter(([k]) => k.startsWith("BENCH_")).map(([k, v]) => `${k}=${v}`).join(" ");
  const lines = [
    "# halb benchmark results",
    "",
    `Written by \`${knobs ? `${knobs} ` : ""}${command}\` on ${startedAt.toISOString().replace(/\.\d+Z$/, "Z")} (commit ${commit || "?"}${dirty}), in ${fmtDuration(Object.values(results).reduce((a, r) => a + r.seconds, 0))}.`,
    "How to read and reproduce it: [docs/performance.md](../../docs/performance.md).",
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB; ${machine.os}; Node ${machine.node}; HAProxy ${machine.haproxy}; Keepalived ${machine.keepalived}; ${machine.wrk}. Load average at the start: ${machine.loadavg}.`,
    "",
    "Every ratio compares two tools measured in this run, one after the other, on the same input.",
    "",
    "## Targets",
    "",
    "| figure | measured | target | holds |",
    "| --- | --- | --- | --- |",
    ...targets.map((t) => `| ${t.name} | ${t.value} | ${t.target} | ${t.holds === null ? "n/a" : t.holds ? "yes" : "**no**"} |`),
    "",
    ...sections.flat(),
  ];
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

function notRun(key, title) {
  const r = results[key];
  if (!r) return [`## ${title}`, "", "Not run (`--only`).", ""];
  if (!r.json) return [`## ${title}`, "", `Broke (exit ${r.code}); its output above the report says why.`, ""];
  return null;
}

function renderScaling(targets) {
  const title = "Compiler and linter scaling";
  const skipped = notRun("scaling", title);
  if (skipped) return skipped;
  const j = results["scaling"].json;
  for (const t of j.targets) {
    if (t.informative) continue;
    targets.push({ name: t.name.replace(/^(compile|lint)/, "halb $1").replace("haproxy -c", "`haproxy -c`"), value: `${t.value.toFixed(2)}×`, target: `≤ ${t.limit.toFixed(t.limit % 1 ? 2 : 1)}×`, holds: t.holds });
  }
  const lines = [`## ${title}`, ""];
  lines.push(`Specs of N backends × ${j.servers} servers, one host route each (bench/big-spec.mjs). Wall time of whole processes, median of ${j.runs} rounds after a warm-up; \`halb compile\` writes into an empty OUT; \`halb lint --format json\`; \`haproxy -c -q\` on the haproxy.cfg halb compiled.`);
  lines.push("");
  lines.push("| backends | servers | spec | haproxy.cfg | `halb compile` | `halb lint` | `haproxy -c` | compile / haproxy -c | lint / haproxy -c |");
  lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const s of j.sizes) {
    lines.push(`| ${fmtInt(s.backends)} | ${fmtInt(s.servers)} | ${kb(s.specBytes)} | ${kb(s.cfgBytes)} | ${ms(s.compileMs)} | ${ms(s.lintMs)} | ${ms(s.haproxyMs)} | ${s.compileRatio.toFixed(2)}× | ${s.lintRatio.toFixed(2)}× |`);
  }
  lines.push("");
  lines.push("Growth when the spec grows 10× (the target: ≤ 11×); \"after start-up\" leaves out the constant start of the process, so it shows how the work itself grows:");
  lines.push("");
  lines.push("| from → to | compile | compile after start-up | lint | lint after start-up | `haproxy -c` |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (let i = 1; i < j.sizes.length; i++) {
    const [a, b] = [j.sizes[i - 1], j.sizes[i]];
    const work = (s, tool) => s[`${tool}Phases`].total - s[`${tool}Phases`].startup;
    lines.push(`| ${fmtInt(a.backends)} → ${fmtInt(b.backends)} | ${(b.compileMs / a.compileMs).toFixed(2)}× | ${(work(b, "compile") / work(a, "compile")).toFixed(2)}× | ${(b.lintMs / a.lintMs).toFixed(2)}× | ${(work(b, "lint") / work(a, "lint")).toFixed(2)}× | ${(b.haproxyMs / a.haproxyMs).toFixed(2)}× |`);
  }
  for (const tool of ["compile", "lint"]) {
    lines.push("");
    lines.push(`Phases of \`halb ${tool}\` (\`HALB_TIMINGS=1\`, ms, medians; each phase without those nested in it; GC overlaps the phases):`);
    lines.push("");
    const keys = [...new Set(j.sizes.flatMap((s) => Object.keys(s[`${tool}Phases`])))];
    lines.push(`| backends | ${keys.join(" | ")} | GC |`);
    lines.push(`| ---: | ${keys.map(() => "---:").join(" | ")} | ---: |`);
    for (const s of j.sizes) {
      const p = s[`${tool}Phases`];
      lines.push(`| ${fmtInt(s.backends)} | ${keys.map((k) => ms(p[k] ?? 0)).join(" | ")} | ${ms(s[`${tool}GcMs`])} |`);
    }
  }
  if (j.sizes.some((s) => s.parseSplit)) {
    lines.push("");
    lines.push("The `parse` phase split (one cold process on the modules of dist/, ms, medians):");
    lines.push("");
    lines.push("| backends | tokens | lex | parser set-up (grammar analysis) | parse + AST |");
    lines.push("| ---: | ---: | ---: | ---: | ---: |");
    for (const s of j.sizes) {
      const p = s.parseSplit;
      if (p) lines.push(`| ${fmtInt(s.backends)} | ${fmtInt(p.tokens)} | ${ms(p.lex)} | ${ms(p.parserSetup)} | ${ms(p["parse+AST"])} |`);
    }
  }
  lines.push("");
  return lines;
}

function renderRun(targets) {
  const title = "Runtime: requests/s and latency";
  const skipped = notRun("run", title);
  if (skipped) return skipped;
  const j = results["run"].json;
  const { haproxy, halb, nodeHttpProxy } = j.rows;
  const ok = (row) => row.available;
  const target = (name, value, op, limit, against) => {
    if (!ok(halb) || !ok(against)) return targets.push({ name, value: "n/a", target: `${op} ${limit}×`, holds: null });
    const errorFree = halb.errorRate <= RUN_TARGETS.maxErrorRate;
    targets.push({ name, value: `${value.toFixed(2)}×`, target: `${op} ${limit}×`, holds: errorFree && (op === "≥" ? value >= limit : value <= limit) });
  };
  target("`halb run` requests/s / HAProxy's", halb.rps / haproxy.rps, "≥", RUN_TARGETS.vsHaproxy, haproxy);
  target("`halb run` p99 / HAProxy's", halb.p99Ms / haproxy.p99Ms, "≤", RUN_TARGETS.p99VsHaproxy, haproxy);
  target("`halb run` requests/s / node-http-proxy's", halb.rps / nodeHttpProxy.rps, "≥", RUN_TARGETS.vsNodeHttpProxy, nodeHttpProxy);
  const lines = [`## ${title}`, ""];
  lines.push(`bench/run.mjs: \`wrk -t1 -c${j.connections} -d${j.seconds}s --latency\` on loopback, keep-alive, after a ${j.warmupSeconds} s warm-up, one tool at a time, the tools interleaved over ${j.rounds} round(s), medians. The spec (one frontend, a round-robin pool of two origin servers that are one HAProxy process) says \`threads ${machine.cores}\` (the cores here): HAProxy runs ${machine.cores} threads, \`halb run\` ${machine.cores} worker processes. node-http-proxy is one process with a keep-alive agent.`);
  lines.push("");
  lines.push("| tool | requests/s | p50 | p99 | errors | requests/s vs HAProxy | p99 vs HAProxy |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of [haproxy, halb, nodeHttpProxy]) {
    if (!ok(row)) {
      lines.push(`| ${row.tool} | not available: ${row.reason} | | | | | |`);
      continue;
    }
    const vs = ok(haproxy) ? `${(row.rps / haproxy.rps).toFixed(2)}×` : "n/a";
    const p99 = ok(haproxy) ? `${(row.p99Ms / haproxy.p99Ms).toFixed(2)}×` : "n/a";
    lines.push(`| ${row.tool} | ${fmtInt(row.rps)} | ${row.p50Ms.toFixed(2)} ms | ${row.p99Ms.toFixed(2)} ms | ${row.errors} | ${vs} | ${p99} |`);
  }
  if (ok(halb)) {
    lines.push("");
    lines.push(`Each round (requests/s): ${["haproxy", "halb", "nodeHttpProxy"].filter((k) => ok(j.rows[k])).map((k) => `${j.rows[k].tool} ${j.rows[k].samples.map((s) => fmtInt(s.rps)).join(", ")}`).join("; ")}.`);
  }
  lines.push("");
  return lines;
}

function renderMemory(targets) {
  const title = "Runtime: memory at 1,000 connections";
  const skipped = notRun("memory", title);
  if (skipped) return skipped;
  const j = results["memory"].json;
  targets.push({ name: `\`halb run\` peak memory, ${fmtInt(j.connections)} keep-alive connections`, value: `${j.target.value.toFixed(0)} MB`, target: `≤ ${j.target.limit} MB`, holds: j.target.holds });
  const lines = [`## ${title}`, ""];
  lines.push(`bench/memory.mjs: \`wrk -t1 -c${j.connections} -d${j.seconds}s\` (every connection keep-alive with a request in flight), one tool at a time, median of ${j.rounds} round(s). Peak RSS is VmHWM (/proc/PID/status) summed over the tool's processes; Node's code, shared between \`halb run\`'s processes, counts once in each. Peak PSS (shared pages divided among the processes, sampled every 100 ms) is what they take together.`);
  lines.push("");
  lines.push("| tool | processes | RSS at rest | peak RSS | largest process | peak PSS | connections established | requests/s |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of Object.values(j.rows)) {
    lines.push(`| ${row.tool}, \`threads ${row.threads}\` | ${row.processes} | ${mb(row.restRssMB)} | ${mb(row.hwmSumMB)} | ${mb(row.hwmMaxMB)} | ${mb(row.peakPssMB)} | ${fmtInt(row.established)} | ${fmtInt(row.rps)} |`);
  }
  lines.push("");
  return lines;
}

function renderFailover(targets) {
  const title = "Failover";
  const skipped = notRun("failover", title);
  if (skipped) return skipped;
  const j = results["failover"].json;
  const lines = [`## ${title}`, ""];
  if (!j.available) return [...lines, `Not available: ${j.reason}.`, ""];
  for (const f of j.figures) {
    if (f.target) targets.push({ name: f.what, value: [f.seconds !== null ? `${f.seconds.toFixed(2)} s` : null, f.failed !== null ? `${f.failed} failed` : null].filter(Boolean).join(", "), target: f.target, holds: f.holds });
  }
  lines.push(`The figures the failover tests print (\`npx vitest run ${j.files.join(" ")}\`; ${j.summary || "no summary"}${j.passed ? "" : "; **some tests failed**"}). Seconds from the failure to the VIP answering on the other node; requests of a steady 10/s client that failed meanwhile.`);
  lines.push("");
  lines.push("| figure | seconds | failed requests | target |");
  lines.push("| --- | ---: | ---: | --- |");
  for (const f of j.figures) {
    lines.push(`| ${f.text.split(":")[0]} | ${f.seconds !== null ? f.seconds.toFixed(2) : ""} | ${f.failed ?? ""} | ${f.target ? `${f.target}; ${f.targetSource}` : "none"} |`);
  }
  if (j.figures.length === 0) lines.push("| (no figure printed: see the tests' output) | | | |");
  lines.push("");
  return lines;
}

function git(args) {
  const run = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : "";
}

function ms(value) {
  return Number.isFinite(value) ? fmtInt(value) : "n/a";
}

function mb(value) {
  return Number.isFinite(value) ? `${value.toFixed(0)} MB` : "n/a";
}

function kb(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

function fmtDuration(seconds) {
  return seconds >= 90 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}
