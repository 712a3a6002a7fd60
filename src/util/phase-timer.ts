/**
 * Opt-in phase timings for `halb compile` and `halb lint` (bench/scaling.mjs reads them): with
 * `HALB_TIMINGS=1` in the environment the command prints, at its end, one JSON line to stderr:
 *
 *   {"halbTimings":"compile","ms":{"startup":41.2,"read":0.9,"parse":160.3,…,"total":512.7},"gcMs":88.1,"gcCount":14,"heapUsedMB":95.2}
 *
 * `startup` is the time from the process's start (performance.timeOrigin) to the command's first
 * line: Node's own start, loading the bundle, parsing the command line. The phases follow in the
 * order they ran, each without the phases nested in it; `other` is what no phase covers; `total` is
 * the time from the process's start to the report, their sum. Without the variable
 * nothing is recorded: `timed` is a direct call, and nothing is printed.
 */
import { PerformanceObserver, performance } from "node:perf_hooks";

let enabled = false;
const phases = new Map<string, number>();
let gcObserver: PerformanceObserver | undefined;
let gcMs = 0;
let gcCount = 0;

/** Whether HALB_TIMINGS asks for timings (`1`, or any value but `0` and the empty string). */
export function timingsRequested(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env["HALB_TIMINGS"];
  return value !== undefined && value !== "" && value !== "0";
}

/** Start recording, and record `startup` (process start → now). Called once, by the command. */
export function startTimings(): void {
  enabled = true;
  phases.clear();
  inner = 0;
  phases.set("startup", performance.now());
  gcMs = 0;
  gcCount = 0;
  gcObserver = new PerformanceObserver((list) => countGc(list.getEntries()));
  gcObserver.observe({ entryTypes: ["gc"] });
}

/**
 * Run `run`, adding its duration to `phase` when timings are on; a plain call otherwise. Phases
 * may nest (`read` inside `parse`): each counts only its own time, not that of the phases inside.
 */
export function timed<T>(phase: string, run: () => T): T {
  if (!enabled) return run();
  const outer = enter();
  try {
    return run();
  } finally {
    leave(phase, outer);
  }
}

/** The asynchronous twin of `timed` (not for phases that overlap other phases in time). */
export async function timedAsync<T>(phase: string, run: () => Promise<T>): Promise<T> {
  if (!enabled) return run();
  const outer = enter();
  try {
    return await run();
  } finally {
    leave(phase, outer);
  }
}

/** Time spent in phases nested inside the one running now. */
let inner = 0;

function enter(): { start: number; inner: number } {
  const outer = { start: performance.now(), inner };
  inner = 0;
  return outer;
}

function leave(phase: string, outer: { start: number; inner: number }): void {
  const duration = performance.now() - outer.start;
  phases.set(phase, (phases.get(phase) ?? 0) + duration - inner);
  inner = outer.inner + duration;
}

function countGc(entries: readonly { duration: number }[]): void {
  for (const entry of entries) {
    gcMs += entry.duration;
    gcCount++;
  }
}

/**
 * Print the JSON line (when timings are on) and stop recording. Asynchronous because Node hands GC
 * entries to observers one turn of the event loop after the collection.
 */
export async function reportTimings(command: string): Promise<void> {
  if (!enabled) return;
  const total = performance.now();
  enabled = false;
  await new Promise<void>((resolveSoon) => setImmediate(resolveSoon));
  if (gcObserver) {
    countGc(gcObserver.takeRecords());
    gcObserver.disconnect();
    gcObserver = undefined;
  }
  const ms: Record<string, number> = {};
  let counted = 0;
  for (const [phase, duration] of phases) {
    ms[phase] = round(duration);
    counted += duration;
  }
  ms["other"] = round(total - counted);
  ms["total"] = round(total);
  const line = { halbTimings: command, ms, gcMs: round(gcMs), gcCount, heapUsedMB: round(process.memoryUsage().heapUsed / 2 ** 20) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
