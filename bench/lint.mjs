#!/usr/bin/env node
/**
 * `npm run bench:lint`: halb lint on a 2,000-backend / 20,000-server spec, beside `haproxy -c` on
 * the haproxy.cfg halb compiles from it, both measured here, in this run, as whole processes (what
 * a CI step pays). Prints the medians and the ratio (target: halb lint no slower than haproxy -c).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bigSpec } from "./big-spec.mjs";
import { median, timeRun, which } from "./common.mjs";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);
const BACKENDS = Number(process.env["BENCH_BACKENDS"] ?? 2000);
const SERVERS = Number(process.env["BENCH_SERVERS"] ?? 10);
const BIN = resolve(import.meta.dirname, "../bin/halb");

const work = mkdtempSync(join(tmpdir(), "halb-bench-"));
try {
  const spec = join(work, "big.hal");
  writeFileSync(spec, bigSpec(BACKENDS, SERVERS));
  execFileSync(process.execPath, [BIN, "compile", spec, "-o", join(work, "out")], { stdio: "ignore" });
  const cfg = join(work, "out", "lb1", "haproxy.cfg");

  const lint = time(process.execPath, [BIN, "lint", spec, "--format", "json"], [0, 1]);
  const haproxy = time(which("haproxy"), ["-c", "-q", "-f", cfg], [0]);
  const ratio = lint / haproxy;
  console.log(`spec: ${BACKENDS} backends, ${BACKENDS * SERVERS} servers; median of ${RUNS} runs each`);
  console.log(`halb lint     ${lint.toFixed(0).padStart(6)} ms`);
  console.log(`haproxy -c    ${haproxy.toFixed(0).padStart(6)} ms`);
  console.log(`ratio         ${ratio.toFixed(2)}x  (target: <= 1.00)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Median wall time of RUNS runs, after one warm-up run (file cache). */
function time(command, args, okCodes) {
  const samples = [];
  for (let i = 0; i <= RUNS; i++) {
    const { ms } = timeRun(command, args, { okCodes });
    if (i > 0) samples.push(ms);
  }
  return median(samples);
}
