/**
 * HALB_TIMINGS=1 (src/util/phase-timer.ts, read by bench/scaling.mjs): `halb compile` and `halb
 * lint` print one JSON line of phase durations to stderr at the end; without it nothing more is
 * printed than before. And the helper itself: nested phases count only their own time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reportTimings, startTimings, timed, timingsRequested } from "../../src/util/phase-timer.js";

const BIN = resolve("bin/halb");
const SEED = resolve("fixtures/compile/seed-zb/input.hal");
const SECRETS = { VRRP_PASS: "Vr9!pass", STATS_PASS: "st4ts-secret-pw" };

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "halb-timings-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function halb(args: readonly string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: work, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...SECRETS, ...env }, input: "", encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface TimingsLine {
  halbTimings: string;
  ms: Record<string, number>;
  gcMs: number;
  gcCount: number;
  heapUsedMB: number;
}

/** The stderr lines that are a timings report. */
function timingsLines(stderr: string): TimingsLine[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"halbTimings"'))
    .map((line) => JSON.parse(line) as TimingsLine);
}

describe("HALB_TIMINGS", () => {
  it("makes halb compile print its phases as one JSON line on stderr", () => {
    const run = halb(["compile", SEED, "-o", "out-timed"], { HALB_TIMINGS: "1" });
    expect(run.status).toBe(0);
    const lines = timingsLines(run.stderr);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.halbTimings).toBe("compile");
    for (const phase of ["startup", "read", "parse", "analyze", "lower", "validate", "emit", "plan", "write", "other", "total"]) {
      expect(line.ms[phase], phase).toBeGreaterThanOrEqual(0);
    }
    // The phases, each without those nested in it, and `other` add up to the total.
    const sum = Object.entries(line.ms).filter(([k]) => k !== "total").reduce((a, [, v]) => a + v, 0);
    expect(Math.abs(sum - line.ms["total"]!)).toBeLessThan(1);
    expect(line.gcMs).toBeGreaterThanOrEqual(0);
    // The line is the last thing written, after the usual message; secrets stay out of it.
    expect(run.stderr).toMatch(/compiled input\.hal for .* into out-timed/);
    expect(run.stderr.trim().split("\n").at(-1)).toContain('"halbTimings":"compile"');
    for (const secret of Object.values(SECRETS)) expect(run.stderr).not.toContain(secret);
  });

  it("makes halb lint print its phases, stdout (the report) unchanged", () => {
    const plain = halb(["lint", SEED, "--format", "json"]);
    const timedRun = halb(["lint", SEED, "--format", "json"], { HALB_TIMINGS: "1" });
    expect(timedRun.status).toBe(plain.status);
    expect(timedRun.stdout).toBe(plain.stdout);
    const lines = timingsLines(timedRun.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.halbTimings).toBe("lint");
    for (const phase of ["startup", "parse", "analyze", "lower", "rules", "format", "total"]) expect(lines[0]!.ms[phase], phase).toBeGreaterThanOrEqual(0);
    expect(lines[0]!.ms).not.toHaveProperty("validate"); // lint does not check the IR against the schema
  });

  it("prints nothing more without it (or with HALB_TIMINGS=0)", () => {
    for (const env of [{}, { HALB_TIMINGS: "0" }, { HALB_TIMINGS: "" }]) {
      const compile = halb(["compile", SEED, "-o", "out-plain"], env);
      expect(compile.status).toBe(0);
      expect(timingsLines(compile.stderr)).toEqual([]);
      expect(compile.stderr.trim().split("\n")).toHaveLength(1); // "halb: compiled …"
      const lint = halb(["lint", SEED, "--format", "json"], env);
      expect(timingsLines(lint.stderr)).toEqual([]);
      expect(lint.stderr).toBe("");
    }
  });
});

describe("the phase timer", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is a plain call when timings are off", () => {
    expect(timed("x", () => 42)).toBe(42);
    expect(() => timed("x", () => {
      throw new Error("boom");
    })).toThrow("boom");
    expect(timingsRequested({})).toBe(false);
    expect(timingsRequested({ HALB_TIMINGS: "0" })).toBe(false);
    expect(timingsRequested({ HALB_TIMINGS: "1" })).toBe(true);
  });

  it("counts a nested phase once, in itself, not in the phase around it", async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    startTimings();
    timed("outer", () => {
      busy(20);
      timed("inner", () => busy(30));
    });
    timed("inner", () => busy(10));
    await reportTimings("test");
    expect(writes).toHaveLength(1);
    const line = JSON.parse(writes[0]!) as TimingsLine;
    expect(line.halbTimings).toBe("test");
    expect(line.ms["outer"]).toBeGreaterThanOrEqual(19);
    expect(line.ms["outer"]).toBeLessThan(45); // 50 and more if it counted "inner"
    expect(line.ms["inner"]).toBeGreaterThanOrEqual(39);
    // Off again: no second line.
    await reportTimings("test");
    expect(writes).toHaveLength(1);
  });
});
