#!/usr/bin/env node
/**
 * The failover figures (part of `npm run bench`): the tests of the failover issue measure and print
 * them; this runs those tests and collects their lines:
 *
 *   test/runtime/vrrp/pair.test.ts              "halb run pair, …"  two `halb run` nodes on loopback
 *   test/runtime/failover/compiled-pair.test.ts "compiled pair, …"  real HAProxy + Keepalived in namespaces
 *   test/runtime/vrrp/mixed-pair.test.ts        "mixed pair, …"     Keepalived and `halb run`, VRRPv2 on the wire
 *
 * Each figure is checked against its target (the RFC's timings for the VRRP pairs: 3 × advert +
 * skew = 3.65 s after a kill with advert 1 s and priority 90, under 1 s after a graceful stop; for
 * the compiled pair ≤ 1.5 s and ≤ 10 failed requests of a 10/s client). The tests need root (network
 * namespaces, raw sockets); without it the figures are "not available". `--json` adds one JSON
 * object on the last line of stdout.
 */
import { spawn } from "node:child_process";
import { ROOT, log } from "./common.mjs";

const FILES = ["test/runtime/vrrp/pair.test.ts", "test/runtime/failover/compiled-pair.test.ts", "test/runtime/vrrp/mixed-pair.test.ts"];
const PREFIXES = ["halb run pair, ", "compiled pair, ", "mixed pair, "];
const JSON_OUT = process.argv.includes("--json");

/**
 * The target of each figure, by the start of its line: the most seconds, and the most failed
 * requests (undefined: none set).
 */
const TARGETS = [
  { prefix: "halb run pair, kill -9 of the master", seconds: 3.648, source: "RFC 5798: 3 × advert + skew" },
  { prefix: "halb run pair, SIGTERM of the master", seconds: 1, source: "RFC 5798: priority 0 on stop, skew only" },
  { prefix: "compiled pair, HAProxy killed on the master", seconds: 1.5, failed: 10, source: "failover issue" },
  { prefix: "compiled pair, master back", failed: 10, source: "failover issue" },
  { prefix: "compiled pair, Keepalived stopped on the master", failed: 10, source: "failover issue" },
  { prefix: "mixed pair, Keepalived killed", seconds: 3.648, source: "RFC 5798: 3 × advert + skew" },
  { prefix: "mixed pair, halb run stopped", seconds: 1.5, source: "priority 0 on stop, the test's bound" },
];

const result = await runTests();
const order = (f) => {
  const i = TARGETS.findIndex((t) => f.text.startsWith(t.prefix));
  return i < 0 ? TARGETS.length : i;
};
const figures = result.lines.map(figure).sort((a, b) => order(a) - order(b));
const lines = ["", `failover (${FILES.join(", ")})`];
if (!result.available) lines.push(`not available: ${result.reason}`);
for (const f of figures) lines.push(`${f.text}   ${f.holds === null ? "" : f.holds ? "[target holds]" : "[TARGET MISSED]"}`);
lines.push(result.summary);
console.log(lines.join("\n"));
if (JSON_OUT) console.log(JSON.stringify({ bench: "failover", files: FILES, available: result.available, reason: result.reason, passed: result.passed, summary: result.summary, figures }));

/** Run the three test files with vitest; their figure lines, and whether they passed. */
async function runTests() {
  if (process.getuid?.() !== 0) return { available: false, reason: "the failover tests need root (network namespaces, raw sockets)", lines: [], passed: false, summary: "" };
  log(`failover: npx vitest run ${FILES.join(" ")}`);
  const child = spawn("npx", ["vitest", "run", ...FILES], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (text += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (text += d));
  const code = await new Promise((resolveExit) => child.on("exit", (c) => resolveExit(c ?? 1)));
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const found = [];
  for (const line of plain.split("\n")) {
    const trimmed = line.trim();
    if (PREFIXES.some((p) => trimmed.startsWith(p)) && !found.includes(trimmed)) found.push(trimmed);
  }
  const summary = ["Test Files", "Tests"].map((k) => new RegExp(`^\\s*${k}\\s+(.+)$`, "m").exec(plain)?.[1]?.trim()).filter(Boolean).map((s, i) => `${i ? "tests" : "test files"}: ${s}`).join("; ");
  if (code !== 0) log(`failover: vitest exited ${code}; the tail of its output:\n${plain.split("\n").slice(-40).join("\n")}`);
  return { available: true, reason: "", lines: found, passed: code === 0, summary: summary || `vitest exited ${code}` };
}

/** A line with its numbers and its target. */
function figure(text) {
  const seconds = Number(/after ([\d.]+) s/.exec(text)?.[1] ?? NaN);
  const failedMatch = /(\d+) (?:of \d+ )?requests failed/.exec(text);
  const failed = failedMatch ? Number(failedMatch[1]) : null;
  const target = TARGETS.find((t) => text.startsWith(t.prefix));
  let holds = null;
  const parts = [];
  if (target?.seconds !== undefined && Number.isFinite(seconds)) {
    holds = seconds <= target.seconds;
    parts.push(`≤ ${target.seconds} s`);
  }
  if (target?.failed !== undefined && failed !== null) {
    holds = (holds ?? true) && failed <= target.failed;
    parts.push(`≤ ${target.failed} failed`);
  }
  return { text, what: text.split(":")[0], seconds: Number.isFinite(seconds) ? seconds : null, failed, target: parts.join(", ") || null, targetSource: target?.source ?? null, holds };
}
