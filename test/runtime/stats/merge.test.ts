/** Adding up the counters of several workers for one statistics page. */
import { describe, expect, it } from "vitest";
import { seedIr } from "../../helpers/sample-ir.js";
import { mergedRegistry, snapshotRegistry } from "../../../src/runtime/stats/merge.js";
import { StatsRegistry } from "../../../src/runtime/stats/index.js";

describe("mergedRegistry", () => {
  const ir = seedIr;
  const backendName = [...ir.haproxy.listens, ...ir.haproxy.backends][0]!.name;

  function registryWith(sessions: number, at: number): StatsRegistry {
    const registry = new StatsRegistry(ir, { nowMs: 0, processMaxconn: 1000 });
    const counters = registry.backend(backendName).counters;
    for (let i = 0; i < sessions; i++) counters.sessionStarted(at);
    for (let i = 0; i < sessions; i++) counters.sessionEnded();
    counters.responseSent(200);
    counters.recordTimes(0, 2, 10, 20);
    return registry;
  }

  it("sums totals, rates and response classes; keeps the highest peak", () => {
    const mine = registryWith(3, 10_000);
    const other = registryWith(5, 10_200);
    const merged = mergedRegistry(mine, [snapshotRegistry(other, "c1")], "c1");
    const counters = merged.proxies.find((proxy) => proxy.name === backendName)!.backend!.counters;
    expect(counters.stot).toBe(8);
    expect(counters.smax).toBe(5);
    expect(counters.hrsp[2]).toBe(2);
    expect(counters.rate.read(10_500)).toBe(8);
    expect(counters.rtime.average()).toBe(10);
    // The process's own registry is untouched.
    expect(mine.backend(backendName).counters.stot).toBe(3);
  });

  it("counts a worker one period behind as the previous second, and skips another configuration", () => {
    const mine = registryWith(2, 11_000);
    const behind = registryWith(4, 10_100);
    const stale = registryWith(100, 11_000);
    const merged = mergedRegistry(mine, [snapshotRegistry(behind, "c1"), snapshotRegistry(stale, "c0")], "c1");
    const counters = merged.proxies.find((proxy) => proxy.name === backendName)!.backend!.counters;
    expect(counters.stot).toBe(6);
    // 2 in this second, plus 4 from the last second fading halfway through this one.
    expect(counters.rate.read(11_500)).toBe(4);
  });
});
