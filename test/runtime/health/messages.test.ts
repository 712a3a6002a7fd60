/** The health lines, compared with lines HAProxy 2.6.12 printed for the same events. */
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../../src/runtime/health/check-status.js";
import { startingHealth } from "../../../src/runtime/health/health-counter.js";
import { healthCheckLine, noServerAvailableLine, stateChangeLines } from "../../../src/runtime/health/messages.js";
import type { CheckedTarget, StateChangeDetails } from "../../../src/runtime/health/scheduler.js";

function server(name: string, extra: Partial<CheckedTarget> = {}): CheckedTarget {
  return {
    proxy: "be",
    proxyKind: "backend",
    server: name,
    address: "127.0.0.1",
    family: 4,
    port: 80,
    weight: 1,
    backup: false,
    disabled: false,
    check: { kind: "http", method: "GET", path: "/health", intervalMs: 200, rise: 2, fall: 2, limits: { kind: "whole", totalMs: 200 } },
    ...extra,
  };
}

function details(check: CheckResult, activeServers: number, backupServers: number): StateChangeDetails {
  return { check, health: startingHealth(2, 2), activeServers, backupServers };
}

const texts = (lines: { text: string }[]) => lines.map((line) => line.text);

describe("state change lines", () => {
  it("DOWN, with code and info", () => {
    const check: CheckResult = { status: "L7STS", httpCode: 500, info: "Internal Server Error", durationMs: 3 };
    expect(stateChangeLines(server("s2"), "DOWN", details(check, 6, 0))).toEqual([
      {
        severity: "alert",
        text: 'Server be/s2 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 3ms. 6 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
      },
    ]);
  });

  it("DOWN without code or info; running on backup", () => {
    const check: CheckResult = { status: "L7RSP", durationMs: 4 };
    expect(texts(stateChangeLines(server("s1"), "DOWN", details(check, 0, 1)))).toEqual([
      "Server be/s1 is DOWN, reason: Layer7 invalid response, check duration: 4ms. 0 active and 1 backup servers left. Running on backup. 0 sessions active, 0 requeued, 0 remaining in queue.",
    ]);
  });

  it("the last server going DOWN adds the emergency line; a listen is a `proxy`", () => {
    const refused: CheckResult = { status: "L4CON", info: "Connection refused", durationMs: 0 };
    const t1 = server("t1", { proxy: "tc", proxyKind: "listen" });
    expect(stateChangeLines(t1, "DOWN", details(refused, 0, 0))).toEqual([
      {
        severity: "alert",
        text: 'Server tc/t1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
      },
      { severity: "emerg", text: "proxy tc has no server available!" },
    ]);
    const backupServer = server("s2", { backup: true });
    const notFound: CheckResult = { status: "L7STS", httpCode: 404, info: "Not Found", durationMs: 0 };
    expect(texts(stateChangeLines(backupServer, "DOWN", details(notFound, 0, 0)))).toEqual([
      'Backup Server be/s2 is DOWN, reason: Layer7 wrong status, code: 404, info: "Not Found", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
      "backend be has no server available!",
    ]);
    expect(noServerAvailableLine(server("x")).text).toBe("backend be has no server available!");
  });

  it("UP lines, for HTTP and TCP checks", () => {
    const passed: CheckResult = { status: "L7OK", httpCode: 302, durationMs: 0 };
    expect(stateChangeLines(server("s1"), "UP", details(passed, 1, 0))).toEqual([
      {
        severity: "notice",
        text: "Server be/s1 is UP, reason: Layer7 check passed, code: 302, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
      },
    ]);
    const connected: CheckResult = { status: "L4OK", durationMs: 0 };
    expect(texts(stateChangeLines(server("t1", { proxy: "tc" }), "UP", details(connected, 1, 0)))).toEqual([
      "Server tc/t1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
    ]);
    const ok: CheckResult = { status: "L7OK", httpCode: 200, durationMs: 1 };
    expect(texts(stateChangeLines(server("s2", { backup: true }), "UP", details(ok, 1, 1)))).toEqual([
      "Backup Server be/s2 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 1 backup servers online. 0 sessions requeued, 0 total in queue.",
    ]);
  });

  it("takes the traffic numbers from the core", () => {
    const timeout: CheckResult = { status: "L7TOUT", durationMs: 502 };
    const traffic = { sessionsActive: 3, requeued: 2, queued: 1 };
    expect(texts(stateChangeLines(server("s4"), "DOWN", details(timeout, 1, 0), { traffic }))).toEqual([
      "Server be/s4 is DOWN, reason: Layer7 timeout, check duration: 502ms. 1 active and 0 backup servers left. 3 sessions active, 2 requeued, 1 remaining in queue.",
    ]);
  });

  it("with log-health-checks the state line leaves the check out", () => {
    const timeout: CheckResult = { status: "L7TOUT", durationMs: 504 };
    expect(texts(stateChangeLines(server("y", { proxy: "L", proxyKind: "listen" }), "DOWN", details(timeout, 1, 0), { logHealthChecks: true }))).toEqual([
      "Server L/y is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
    ]);
  });
});

describe("log-health-checks lines", () => {
  const y = server("y", { proxy: "L", proxyKind: "listen" });

  it("reports a check that moved the health", () => {
    const timeout: CheckResult = { status: "L7TOUT", durationMs: 504 };
    const before = { rise: 1, fall: 1, health: 1 };
    const after = { rise: 1, fall: 1, health: 0 };
    expect(healthCheckLine(y, { result: timeout, previous: null, before, after })).toEqual({
      severity: "notice",
      text: "Health check for server L/y failed, reason: Layer7 timeout, check duration: 504ms, status: 0/1 DOWN.",
    });
  });

  it("reports successes with the going-down count and backup servers in lower case", () => {
    const ok: CheckResult = { status: "L7OK", httpCode: 200, durationMs: 1 };
    const before = { rise: 2, fall: 3, health: 2 };
    const after = { rise: 2, fall: 3, health: 4 };
    expect(healthCheckLine(server("s2", { backup: true }), { result: ok, previous: null, before, after })?.text).toBe(
      "Health check for backup server be/s2 succeeded, reason: Layer7 check passed, code: 200, check duration: 1ms, status: 3/3 UP.",
    );
  });

  it("stays silent when neither the health nor the status changed", () => {
    const fail: CheckResult = { status: "L4CON", info: "Connection refused", durationMs: 0 };
    const down = { rise: 2, fall: 2, health: 0 };
    expect(healthCheckLine(y, { result: fail, previous: fail, before: down, after: down })).toBeNull();
    const timeout: CheckResult = { status: "L4TOUT", durationMs: 200 };
    expect(healthCheckLine(y, { result: timeout, previous: fail, before: down, after: down })?.text).toBe(
      "Health check for server L/y failed, reason: Layer4 timeout, check duration: 200ms, status: 0/2 DOWN.",
    );
  });
});
