#!/usr/bin/env node
/**
 * Compiler and linter scaling (part of `npm run bench`): generated specs of 20, 200 and 2,000
 * backends × 10 servers, one host route each (bench/big-spec.mjs). For each size, measured here, in
 * this run, as whole processes (what a CI step pays), interleaved round by round so that the
 * machine's noise falls on every tool alike:
 *
 *   - `halb compile SPEC -o OUT` into an empty OUT (every file written);
 *   - `halb lint SPEC --format json`;
 *   - `haproxy -c -q -f OUT/lb1/haproxy.cfg`, the anchor, on the config halb compiled;
 *   - the same two halb commands again with HALB_TIMINGS=1, for their phases (src/util/phase-timer.ts):
 *     startup, read, parse (lex + parse + AST), analyze, lower, validate, emit, plan, write for
 *     compile; startup … lower, rules, suppress, format for lint; and the time spent in GC;
 *   - a probe process splitting `parse` into lex, the parser's set-up (chevrotain's grammar
 *     analysis) and parse + AST, on the modules of dist/ (one cold process, like the CLI).
 *
 * The medians of BENCH_RUNS rounds (5) after one warm-up round, the ratios to haproxy -c, the
 * growth from one size to the next, and the targets: at 2,000 backends compile ≤ 1.0× and lint ≤
 * 1.0× haproxy -c; 10× the spec costs ≤ 11× the time.
 *
 * Knobs: BENCH_RUNS (5), BENCH_SIZES ("20,200,2000"), BENCH_SERVERS (10). `--json` adds the numbers
 * as one JSON object on the last line of stdout; progress goes to stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { bigSpec } from "./big-spec.mjs";
import { BIN, log, machineInfo, median, positiveInt, ROOT, timeRun, which } from "./common.mjs";

if (process.argv[2] === "--probe") {
  await probe(process.argv[3]);
  process.exit(0);
}

const RUNS = positiveInt("BENCH_RUNS", 5);
const SERVERS = positiveInt("BENCH_SERVERS", 10);
const SIZES = (process.env["BENCH_SIZES"] || "20,200,2000").split(",").map(Number);
const JSON_OUT = process.argv.includes("--json");
/** The targets of the issue. */
const LIMIT_RATIO = 1.0;
const LIMIT_GROWTH = 11;

const work = mkdtempSync(join(tmpdir(), "halb-bench-scaling-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const haproxy = which("haproxy");
const machine = machineInfo();
const sizes = [];
for (const backends of SIZES) sizes.push(measureSize(backends));
const targets = evaluateTargets(sizes);
printReport(sizes, targets);
if (JSON_OUT) console.log(JSON.stringify({ bench: "scaling", runs: RUNS, servers: SERVERS, machine, sizes, targets }));

/** Every number of one spec size. */
function measureSize(backends) {
  const dir = join(work, `b${backends}`);
  const spec = join(dir, "spec.hal");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(spec, bigSpec(backends, SERVERS));
  const ref = join(dir, "ref");
  timeRun(process.execPath, [BIN, "compile", spec, "-o", ref]);
  const cfg = join(ref, "lb1", "haproxy.cfg");
  const specBytes = readFileSync(spec).length;
  const cfgBytes = readFileSync(cfg).length;
  log(`scaling: ${backends} backends × ${SERVERS} servers (spec ${kb(specBytes)}, haproxy.cfg ${kb(cfgBytes)}); ${RUNS} rounds after a warm-up`);

  const wall = { compile: [], lint: [], haproxy: [] };
  const phases = { compile: [], lint: [] };
  const gc = { compile: [], lint: [] };
  const split = [];
  const timingsEnv = { ...process.env, HALB_TIMINGS: "1" };
  const quietEnv = { ...process.env };
  delete quietEnv["HALB_TIMINGS"];
  for (let round = 0; round <= RUNS; round++) {
    const out = join(dir, `out${round}`);
    const sample = {
      compile: timeRun(process.execPath, [BIN, "compile", spec, "-o", out], { env: quietEnv }).ms,
      lint: timeRun(process.execPath, [BIN, "lint", spec, "--format", "json"], { okCodes: [0, 1], env: quietEnv }).ms,
      haproxy: timeRun(haproxy, ["-c", "-q", "-f", cfg]).ms,
    };
    rmSync(out, { recursive: true, force: true });
    const compileTimed = timeRun(process.execPath, [BIN, "compile", spec, "-o", out], { env: timingsEnv });
    rmSync(out, { recursive: true, force: true });
    const lintTimed = timeRun(process.execPath, [BIN, "lint", spec, "--format", "json"], { okCodes: [0, 1], env: timingsEnv });
    const probeRun = timeRun(process.execPath, [import.meta.filename, "--probe", spec], { stdout: true });
    if (round === 0) continue; // warm-up: file cache, page cache of node and haproxy
    for (const key of Object.keys(wall)) wall[key].push(sample[key]);
    for (const [key, run] of [["compile", compileTimed], ["lint", lintTimed]]) {
      const line = timingsLine(run.stderr);
      if (line) {
        phases[key].push(line.ms);
        gc[key].push(line.gcMs);
      }
    }
    const probed = lastJson(probeRun.stdout);
    if (probed && !("unavailable" in probed)) split.push(probed);
    else if (round === 1) log(`  warning: no parse split: ${probed?.unavailable ?? probeRun.stderr.slice(-300)}`);
    log(`  round ${round}: compile ${sample.compile.toFixed(0)} ms, lint ${sample.lint.toFixed(0)} ms, haproxy -c ${sample.haproxy.toFixed(0)} ms`);
  }
  rmSync(dir, { recursive: true, force: true });
  const medians = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, median(v)]));
  return {
    backends,
    servers: backends * SERVERS,
    specBytes,
    cfgBytes,
    compileMs: medians.compile,
    lintMs: medians.lint,
    haproxyMs: medians.haproxy,
    compileRatio: medians.compile / medians.haproxy,
    lintRatio: medians.lint / medians.haproxy,
    compilePhases: medianPhases(phases.compile),
    lintPhases: medianPhases(phases.lint),
    compileGcMs: median(gc.compile),
    lintGcMs: median(gc.lint),
    parseSplit: split.length ? medianPhases(split) : null,
    samples: wall,
  };
}

/** The HALB_TIMINGS JSON line of a run's stderr. */
function timingsLine(stderr) {
  for (const line of stderr.split("\n").reverse()) {
    if (line.startsWith('{"halbTimings"')) return JSON.parse(line);
  }
  log(`  warning: no HALB_TIMINGS line in: ${stderr.slice(-300)}`);
  return null;
}

function lastJson(text) {
  const line = text.trim().split("\n").pop();
  try {
    return line ? JSON.parse(line) : null;
  } catch {
    return null;
  }
}

/** Per phase, the median over the runs (a phase missing from a run counts as 0 there). */
function medianPhases(list) {
  const keys = [...new Set(list.flatMap((p) => Object.keys(p)))];
  return Object.fromEntries(keys.map((k) => [k, median(list.map((p) => p[k] ?? 0))]));
}

/**
 * The targets: the two ratios at the largest size, and the growth from each size to the next
 * (10× the backends), of the wall time and, stricter, of the time after start-up (the work that
 * grows with the spec; start-up is a constant that makes the wall time grow less than the spec).
 */
function evaluateTargets(list) {
  const targets = [];
  const largest = list.at(-1);
  if (largest) {
    targets.push({ name: `compile / haproxy -c at ${largest.backends.toLocaleString("en-US")} backends`, value: largest.compileRatio, op: "<=", limit: LIMIT_RATIO, holds: largest.compileRatio <= LIMIT_RATIO });
    targets.push({ name: `lint / haproxy -c at ${largest.backends.toLocaleString("en-US")} backends`, value: largest.lintRatio, op: "<=", limit: LIMIT_RATIO, holds: largest.lintRatio <= LIMIT_RATIO });
  }
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [list[i - 1], list[i]];
    const factor = b.backends / a.backends;
    const span = `${a.backends.toLocaleString("en-US")} → ${b.backends.toLocaleString("en-US")} backends`;
    const limit = (LIMIT_GROWTH * factor) / 10;
    for (const tool of ["compile", "lint"]) {
      const wallGrowth = b[`${tool}Ms`] / a[`${tool}Ms`];
      targets.push({ name: `${tool} time, ${span}`, value: wallGrowth, op: "<=", limit, holds: wallGrowth <= limit });
      const work = (s) => s[`${tool}Phases`].total - s[`${tool}Phases`].startup;
      const workGrowth = work(b) / work(a);
      targets.push({ name: `${tool} time after start-up, ${span}`, value: workGrowth, op: "<=", limit, holds: workGrowth <= limit, informative: true });
    }
  }
  return targets;
}

function printReport(list, targetList) {
  const lines = [""];
  lines.push(`halb compile / halb lint vs haproxy -c, specs of N backends × ${SERVERS} servers; median of ${RUNS} rounds (wall time, ms)`);
  lines.push(`machine: ${machine.cpu}, ${machine.cores} cores; node ${machine.node}; HAProxy ${machine.haproxy}; load average at start ${machine.loadavg}`);
  lines.push("");
  lines.push(`${"backends".padEnd(10)}${"compile".padStart(10)}${"lint".padStart(10)}${"haproxy -c".padStart(12)}${"compile/h".padStart(11)}${"lint/h".padStart(9)}`);
  for (const s of list) {
    lines.push(`${String(s.backends).padEnd(10)}${s.compileMs.toFixed(0).padStart(10)}${s.lintMs.toFixed(0).padStart(10)}${s.haproxyMs.toFixed(0).padStart(12)}${`${s.compileRatio.toFixed(2)}x`.padStart(11)}${`${s.lintRatio.toFixed(2)}x`.padStart(9)}`);
  }
  for (const tool of ["compile", "lint"]) {
    lines.push("");
    lines.push(`phases of halb ${tool} (HALB_TIMINGS=1, ms; gc overlaps the phases)`);
    const keys = [...new Set(list.flatMap((s) => Object.keys(s[`${tool}Phases`])))];
    lines.push(`${"backends".padEnd(10)}${keys.map((k) => k.padStart(10)).join("")}${"gc".padStart(10)}`);
    for (const s of list) {
      const p = s[`${tool}Phases`];
      lines.push(`${String(s.backends).padEnd(10)}${keys.map((k) => (p[k] ?? 0).toFixed(0).padStart(10)).join("")}${s[`${tool}GcMs`].toFixed(0).padStart(10)}`);
    }
  }
  lines.push("");
  lines.push("parse split (probe on dist/, one cold process, ms)");
  for (const s of list) {
    const p = s.parseSplit;
    lines.push(`${String(s.backends).padEnd(10)}${p ? Object.entries(p).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ") : "n/a"}`);
  }
  lines.push("");
  for (const t of targetList) {
    lines.push(`${t.name.padEnd(52)}${`${t.value.toFixed(2)}x`.padStart(8)}  ${t.op} ${t.limit.toFixed(2)}x  ${t.holds ? "yes" : "NO"}${t.informative ? " (informative)" : ""}`);
  }
  console.log(lines.join("\n"));
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/**
 * `node bench/scaling.mjs --probe SPEC`: the parse phase of the CLI split in three, in one cold
 * process on the unbundled modules of dist/: lex, the parser's set-up (chevrotain's grammar
 * analysis, done once per process), parse + AST building. Prints one JSON line.
 */
async function probe(spec) {
  const dist = (path) => pathToFileURL(join(ROOT, "dist", path)).href;
  try {
    const [{ lex }, { halParser }, { AstBuilder }, { SourceFile }] = await Promise.all([
      import(dist("syntax/lexer.js")),
      import(dist("syntax/parse.js")),
      import(dist("ast/build.js")),
      import(dist("diagnostics/span.js")),
    ]);
    const source = new SourceFile(spec, readFileSync(spec, "utf8"));
    let t = performance.now();
    const lexed = lex(source.text);
    const lexMs = performance.now() - t;
    t = performance.now();
    const parser = halParser();
    const parserSetupMs = performance.now() - t;
    t = performance.now();
    const { errors } = parser.parse(lexed.tokens, new AstBuilder(source));
    const parseMs = performance.now() - t;
    if (errors.length) throw new Error(`${errors.length} parse errors`);
    console.log(JSON.stringify({ lex: lexMs, parserSetup: parserSetupMs, "parse+AST": parseMs, tokens: lexed.tokens.length }));
  } catch (error) {
    // The split is a detail: a refactored parser must not break the benchmark.
    console.log(JSON.stringify({ unavailable: error instanceof Error ? error.message : String(error) }));
  }
}
