/** The scheduler with scripted check results and fake timers: exact timing and events. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CheckResult } from "../../../src/runtime/health/check-status.js";
import {
  type CheckedState,
  type CheckedTarget,
  type CheckReport,
  HealthScheduler,
  type StateChangeDetails,
} from "../../../src/runtime/health/scheduler.js";
import type { CheckPlan, HealthTarget } from "../../../src/runtime/health/targets.js";

function plan(intervalMs: number, rise = 2, fall = 3): CheckPlan {
  return { kind: "tcp", intervalMs, rise, fall, limits: { kind: "whole", totalMs: intervalMs } };
}

function target(server: string, check: CheckPlan | null, extra: Partial<HealthTarget> = {}): HealthTarget {
  return { proxy: "be", proxyKind: "backend", server, address: "127.0.0.1", family: 4, port: 1, weight: 1, backup: false, disabled: false, check, ...extra };
}

const PASS: CheckResult = { status: "L4OK", durationMs: 0 };
const FAIL: CheckResult = { status: "L4CON", info: "Connection refused", durationMs: 0 };

/** A check runner whose servers pass or fail as the test says, each check taking `durationMs`. */
class ScriptedChecks {
  readonly passing = new Map<string, boolean>();
  readonly started: { server: string; at: number }[] = [];
  durationMs = 0;

  run = (server: CheckedTarget, signal: AbortSignal): Promise<CheckResult> => {
    this.started.push({ server: server.server, at: Date.now() });
    const result = this.passing.get(server.server) ?? true ? PASS : FAIL;
    if (this.durationMs === 0) return Promise.resolve(result);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ ...result, durationMs: this.durationMs }), this.durationMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  };

  startsOf(server: string): number[] {
    return this.started.filter((s) => s.server === server).map((s) => s.at);
  }
}

interface RecordedChange {
  server: string;
  from: CheckedState;
  to: CheckedState;
  reason: string;
  details: StateChangeDetails;
  at: number;
}

let t0: number;
beforeEach(() => {
  vi.useFakeTimers();
  t0 = Date.now();
});
afterEach(() => {
  vi.useRealTimers();
});

function schedulerWith(targets: HealthTarget[], checks: ScriptedChecks) {
  const changes: RecordedChange[] = [];
  const reports: { server: string; report: CheckReport }[] = [];
  const scheduler = new HealthScheduler(targets, {
    runCheck: checks.run,
    onStateChange: (server, from, to, reason, details) => changes.push({ server: server.server, from, to, reason, details, at: Date.now() - t0 }),
    onCheck: (server, report) => reports.push({ server: server.server, report }),
  });
  return { scheduler, changes, reports };
}

describe("HealthScheduler timing", () => {
  it("spreads the first checks, then checks every inter after the previous check ended", async () => {
    const checks = new ScriptedChecks();
    checks.durationMs = 50;
    const { scheduler } = schedulerWith([target("a", plan(1200)), target("b", plan(1200)), target("c", plan(1200))], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(checks.startsOf("a").map((at) => at - t0)).toEqual([0, 1250, 2500]);
    expect(checks.startsOf("b").map((at) => at - t0)).toEqual([400, 1650, 2900]);
    expect(checks.startsOf("c").map((at) => at - t0)).toEqual([800, 2050]);
    await scheduler.stop();
  });

  it("counts disabled checked servers in the spreading but never checks them", async () => {
    const checks = new ScriptedChecks();
    const { scheduler } = schedulerWith([target("a", plan(1000)), target("off", plan(1000), { disabled: true }), target("c", plan(1000))], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect(checks.startsOf("off")).toEqual([]);
    expect(checks.startsOf("c").map((at) => at - t0)).toEqual([666, 1666]);
    expect(scheduler.view("be", "off")).toMatchObject({ state: "MAINT", statsStatus: "MAINT" });
    await scheduler.stop();
  });

  it("leaves servers without check UP and unchecked", async () => {
    const checks = new ScriptedChecks();
    const { scheduler } = schedulerWith([target("plain", null)], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(checks.started).toEqual([]);
    expect(scheduler.view("be", "plain")).toMatchObject({ state: "UP", statsStatus: "no check", health: null, lastCheck: null });
    expect(scheduler.isUp("be", "plain")).toBe(true);
    await scheduler.stop();
  });
});

describe("HealthScheduler state changes", () => {
  it("a server failing from the start goes DOWN at its first check", async () => {
    const checks = new ScriptedChecks();
    checks.passing.set("a", false);
    const { scheduler, changes } = schedulerWith([target("a", plan(1000, 2, 3))], checks);
    expect(scheduler.isUp("be", "a")).toBe(true);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(changes).toMatchObject([{ server: "a", from: "UP", to: "DOWN", reason: "Layer4 connection problem", at: 0 }]);
    expect(changes[0]!.details).toMatchObject({ check: FAIL, health: { health: 0 }, activeServers: 0, backupServers: 0 });
    expect(scheduler.isUp("be", "a")).toBe(false);
    await scheduler.stop();
  });

  it("once fully UP it takes `fall` failures, and `rise` successes to come back", async () => {
    const checks = new ScriptedChecks();
    const { scheduler, changes } = schedulerWith([target("a", plan(100, 2, 3))], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(250); // checks at 0, 100, 200: fully UP
    expect(scheduler.view("be", "a")?.statsStatus).toBe("UP");
    checks.passing.set("a", false);
    await vi.advanceTimersByTimeAsync(100); // 300: UP 2/3
    expect(scheduler.view("be", "a")?.statsStatus).toBe("UP 2/3");
    await vi.advanceTimersByTimeAsync(200); // 400, 500 → DOWN
    expect(changes.map((c) => [c.to, c.at])).toEqual([["DOWN", 500]]);
    checks.passing.set("a", true);
    await vi.advanceTimersByTimeAsync(100); // 600: DOWN 1/2
    expect(scheduler.view("be", "a")?.statsStatus).toBe("DOWN 1/2");
    await vi.advanceTimersByTimeAsync(100); // 700 → UP
    expect(changes.map((c) => [c.from, c.to, c.at])).toEqual([
      ["UP", "DOWN", 500],
      ["DOWN", "UP", 700],
    ]);
    expect(changes[1]!.reason).toBe("Layer4 check passed");
    expect(scheduler.view("be", "a")).toMatchObject({ failedChecks: 3, downTransitions: 1, statsStatus: "UP" });
    await scheduler.stop();
  });

  it("counts the usable active and backup servers of the same proxy after the change", async () => {
    const checks = new ScriptedChecks();
    checks.passing.set("a", false);
    const targets = [
      target("a", plan(1000)),
      target("b", null),
      target("zero", null, { weight: 0 }),
      target("spare", null, { backup: true }),
      target("maint", null, { disabled: true }),
      target("other", null, { proxy: "elsewhere" }),
    ];
    const { scheduler, changes } = schedulerWith(targets, checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(changes[0]!.details).toMatchObject({ activeServers: 1, backupServers: 1 });
    await scheduler.stop();
  });

  it("reports every check with the one before it", async () => {
    const checks = new ScriptedChecks();
    const { scheduler, reports } = schedulerWith([target("a", plan(100, 2, 2))], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(150);
    expect(reports.map((r) => [r.report.previous, r.report.before.health, r.report.after.health])).toEqual([
      [null, 2, 3],
      [PASS, 3, 3],
    ]);
    await scheduler.stop();
  });

  it("stop() cancels checks in flight and timers: nothing runs or reports afterwards", async () => {
    const checks = new ScriptedChecks();
    checks.durationMs = 500;
    checks.passing.set("a", false);
    const { scheduler, changes } = schedulerWith([target("a", plan(100))], checks);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(scheduler.view("be", "a")?.checkInProgress).toBe(true);
    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(checks.started).toHaveLength(1);
    expect(changes).toEqual([]);
  });

  it("refuses a server listed twice and a second start", () => {
    expect(() => new HealthScheduler([target("a", null), target("a", null)])).toThrow("be/a is listed twice");
    const scheduler = new HealthScheduler([]);
    scheduler.start();
    expect(() => scheduler.start()).toThrow("already started");
  });
});
