/**
 * `balance random` is random, so these tests inject a seeded generator and check the shape of
 * the draws statistically: shares follow the weights, the second draw avoids loaded servers.
 */
import { describe, expect, test } from "vitest";
import { createBalancer, type Random32 } from "../../../src/runtime/balance/index.js";
import { fakeServers, pickAndHold, pickSequence } from "./fake-servers.js";

/** mulberry32: a small, well-known seeded generator of unsigned 32-bit integers. */
function seeded(seed: number): Random32 {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return (mixed ^ (mixed >>> 14)) >>> 0;
  };
}

const shareOf = (names: string[], name: string): number => names.filter((candidate) => candidate === name).length / names.length;

describe("random", () => {
  test("the same seed gives the same picks", () => {
    const run = (): string[] => pickSequence(createBalancer("random", fakeServers({ A: {}, B: {}, C: {} }), { random32: seeded(7) }), 50);
    expect(run()).toEqual(run());
  });

  test("with one draw, shares follow the weights (within the ring's granularity)", () => {
    const balancer = createBalancer("random", fakeServers({ A: { weight: 1 }, B: { weight: 3 } }), { random32: seeded(42), randomDraws: 1 });
    const names = pickSequence(balancer, 20_000);
    expect(shareOf(names, "B")).toBeGreaterThan(0.65);
    expect(shareOf(names, "B")).toBeLessThan(0.85);
  });

  test("with two draws, a loaded server is only chosen when both draws land on it (~1/9 of three)", () => {
    const servers = fakeServers({ A: {}, B: {}, C: {} });
    const balancer = createBalancer("random", servers, { random32: seeded(3) });
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    serverA.currentConnections = 50;
    const names = pickSequence(balancer, 9_000);
    expect(shareOf(names, "A")).toBeGreaterThan(0.06);
    expect(shareOf(names, "A")).toBeLessThan(0.17);
  });

  test("two draws even out held load better than one", () => {
    const spread = (draws: number): number => {
      const servers = fakeServers({ A: {}, B: {}, C: {}, D: {} });
      const balancer = createBalancer("random", servers, { random32: seeded(11), randomDraws: draws });
      for (let index = 0; index < 400; index++) pickAndHold(balancer);
      const loads = servers.map((server) => server.currentConnections);
      return Math.max(...loads) - Math.min(...loads);
    };
    expect(spread(2)).toBeLessThan(spread(1));
  });

  test("a full winner means all-full (the request waits in the backend queue)", () => {
    const servers = fakeServers({ A: { maxconn: 1 } });
    const balancer = createBalancer("random", servers, { random32: seeded(5) });
    expect(pickAndHold(balancer)?.name).toBe("A");
    expect(balancer.pick({ sourceAddress: "127.0.0.1" })).toEqual({ server: null, reason: "all-full" });
  });

  test("down and weight-0 servers are never drawn", () => {
    const balancer = createBalancer("random", fakeServers({ A: { usable: false }, B: { weight: 0 }, C: {} }), { random32: seeded(9) });
    expect(new Set(pickSequence(balancer, 200))).toEqual(new Set(["C"]));
  });
});
