/** The scheduler with its real probes against servers on 127.0.0.1, at short intervals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckedState, HealthScheduler, type StateChangeDetails } from "../../../src/runtime/health/scheduler.js";
import type { HealthTarget } from "../../../src/runtime/health/targets.js";
import { HealthServer, LOCALHOST, startScriptedServer, type TestServer } from "./net-fixtures.js";

const INTER = 150;

function httpTarget(server: HealthServer | TestServer, name: string, timeoutMs = INTER): HealthTarget {
  return {
    proxy: "be",
    proxyKind: "backend",
    server: name,
    address: LOCALHOST,
    family: 4,
    port: server.port,
    weight: 1,
    backup: false,
    disabled: false,
    check: { kind: "http", method: "GET", path: "/health", intervalMs: INTER, rise: 2, fall: 2, limits: { kind: "whole", totalMs: timeoutMs } },
  };
}

interface Change {
  server: string;
  from: CheckedState;
  to: CheckedState;
  reason: string;
  details: StateChangeDetails;
  at: number;
}

function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (predicate()) resolve();
      else if (Date.now() > deadline) reject(new Error("timed out waiting"));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

function activeResources(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

let web: HealthServer[];
beforeAll(async () => {
  web = await Promise.all(["s1", "s2", "s3"].map((name) => HealthServer.start(name)));
});
afterAll(async () => {
  await Promise.all(web.map((server) => server.stop()));
});

describe("HealthScheduler over real sockets", () => {
  it("spreads the first checks, repeats every inter, and follows flips with rise/fall", async () => {
    const [s1, s2, s3] = web as [HealthServer, HealthServer, HealthServer];
    const changes: Change[] = [];
    const scheduler = new HealthScheduler(
      web.map((server) => httpTarget(server, server.name)),
      { onStateChange: (server, from, to, reason, details) => changes.push({ server: server.server, from, to, reason, details, at: Date.now() }) },
    );
    const startedAt = Date.now();
    scheduler.start();
    await waitFor(() => s3.healthHits.length >= 4, 2000);

    // First checks at 0, inter/3, 2·inter/3; then one every inter plus the check's own duration.
    expect(s1.healthHits[0]! - startedAt).toBeLessThan(40);
    expect(s2.healthHits[0]! - startedAt).toBeGreaterThanOrEqual(45);
    expect(s2.healthHits[0]! - startedAt).toBeLessThan(90);
    expect(s3.healthHits[0]! - startedAt).toBeGreaterThanOrEqual(95);
    expect(s3.healthHits[0]! - startedAt).toBeLessThan(140);
    const gaps = s1.healthHits.slice(1).map((at, i) => at - s1.healthHits[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(INTER - 2);
      expect(gap).toBeLessThan(INTER + 60);
    }
    expect(changes).toEqual([]);

    // s1 answers 500: DOWN after `fall` (2) failed checks, i.e. between 1 and 2 intervals later.
    const flippedAt = Date.now();
    s1.status = 500;
    await waitFor(() => changes.length === 1, 1000);
    expect(changes[0]).toMatchObject({ server: "s1", from: "UP", to: "DOWN", reason: "Layer7 wrong status" });
    expect(changes[0]!.details.check).toMatchObject({ status: "L7STS", httpCode: 500, info: "Status" });
    expect(changes[0]!.details).toMatchObject({ activeServers: 2, backupServers: 0 });
    expect(changes[0]!.at - flippedAt).toBeGreaterThanOrEqual(INTER - 10);
    expect(changes[0]!.at - flippedAt).toBeLessThan(2 * INTER + 80);

    // s2 stops listening: Layer4 connection problem.
    await s2.stop();
    await waitFor(() => changes.length === 2, 1000);
    expect(changes[1]).toMatchObject({ server: "s2", to: "DOWN", reason: "Layer4 connection problem" });
    expect(changes[1]!.details.check).toMatchObject({ status: "L4CON", info: "Connection refused" });
    expect(changes[1]!.details.activeServers).toBe(1);

    // Both recover: UP after `rise` (2) good checks.
    s1.status = 200;
    await s2.restart();
    const recoveredAt = Date.now();
    await waitFor(() => changes.length === 4, 1500);
    for (const change of changes.slice(2)) {
      expect(change).toMatchObject({ from: "DOWN", to: "UP", reason: "Layer7 check passed" });
      expect(change.at - recoveredAt).toBeGreaterThanOrEqual(INTER - 10);
      expect(change.at - recoveredAt).toBeLessThan(2 * INTER + 80);
    }
    expect(scheduler.views().map((view) => view.statsStatus)).toEqual(["UP", "UP", "UP"]);
    await scheduler.stop();
  });

  it("stop() returns promptly with a check in flight and leaves no timer or socket behind", async () => {
    const silent = await startScriptedServer(() => undefined);
    const timersBefore = activeResources("Timeout");
    const socketsBefore = activeResources("TCPSocketWrap");
    const scheduler = new HealthScheduler([httpTarget(silent, "silent", 5000), httpTarget(web[2]!, "s3")]);
    scheduler.start();
    await waitFor(() => scheduler.view("be", "silent")?.checkInProgress === true && silent.requests.length === 1, 1000);
    const stoppingAt = Date.now();
    await scheduler.stop();
    expect(Date.now() - stoppingAt).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(activeResources("Timeout")).toBeLessThanOrEqual(timersBefore);
    expect(activeResources("TCPSocketWrap")).toBeLessThanOrEqual(socketsBefore);
    await silent.close();
  });
});
