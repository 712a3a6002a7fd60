import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createBalancer } from "../../../src/runtime/balance/index.js";
import { change, fakeServers, finish, pickAndHold, pickSequence } from "./fake-servers.js";

const letters = (names: string[]): string => names.join("").replaceAll("s", "");
const weighted = (...weights: number[]) => fakeServers(Object.fromEntries(weights.map((weight, index) => [`s${String.fromCharCode(65 + index)}`, { weight }])));

describe("roundrobin (FWRR)", () => {
  // Orders worked out independently in shared/research/runtime-semantics.md §1.2.
  test.each([
    [[6, 3, 1], "AABACABAAB"],
    [[6, 3], "AAB"],
    [[3, 2, 1], "ABACAB"],
    [[1, 1, 1], "ABC"],
    [[5, 3, 2], "ABACABABAC"],
  ])("weights %j repeat %s", (weights, period) => {
    const balancer = createBalancer("roundrobin", weighted(...weights));
    expect(letters(pickSequence(balancer, period.length * 3))).toBe(period.repeat(3));
  });

  // Not exact: remainders carry from one window to the next (HAProxy does the same, see the
  // differential case rr_4_8_7_window), but never by more than a pick.
  test("over a window of 16 × Σweight picks every server gets 16 × its weight, give or take one", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }), (weights) => {
        const servers = weighted(...weights);
        const names = pickSequence(createBalancer("roundrobin", servers), 16 * weights.reduce((a, b) => a + b, 0));
        for (const [index, server] of servers.entries()) {
          expect(Math.abs(names.filter((name) => name === server.name).length - 16 * (weights[index] ?? 0))).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a weight-0 server and a server that is not usable never take traffic", () => {
    const servers = fakeServers({ A: { weight: 2 }, B: { weight: 0 }, C: { usable: false }, D: {} });
    const names = pickSequence(createBalancer("roundrobin", servers), 30);
    expect(new Set(names)).toEqual(new Set(["A", "D"]));
  });

  test("a server going down mid-sequence stops receiving at once and is re-integrated when it returns", () => {
    const servers = weighted(1, 1, 1);
    const balancer = createBalancer("roundrobin", servers);
    const [, serverB] = servers;
    if (!serverB) throw new Error("no server B");
    pickSequence(balancer, 4);
    change(balancer, serverB, { usable: false });
    expect(pickSequence(balancer, 10)).not.toContain("sB");
    change(balancer, serverB, { usable: true });
    const after = pickSequence(balancer, 12);
    expect(after.filter((name) => name === "sB").length).toBeGreaterThanOrEqual(3);
  });

  test("drain is seen as not usable: no new load-balanced traffic", () => {
    const servers = weighted(1, 1);
    const balancer = createBalancer("roundrobin", servers);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    change(balancer, serverA, { usable: false });
    expect(new Set(pickSequence(balancer, 5))).toEqual(new Set(["sB"]));
  });

  test("a weight change shifts the share", () => {
    const servers = weighted(1, 1);
    const balancer = createBalancer("roundrobin", servers);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    pickSequence(balancer, 3);
    change(balancer, serverA, { weight: 3 });
    const names = pickSequence(balancer, 16 * 4 * 2);
    const shareOfA = names.filter((name) => name === "sA").length / names.length;
    expect(shareOfA).toBeGreaterThan(0.7);
    expect(shareOfA).toBeLessThan(0.8);
  });

  test("saturated servers are skipped while others have room, and all-full when none has", () => {
    const servers = fakeServers({ A: { weight: 3, maxconn: 1 }, B: { maxconn: 1 } });
    const balancer = createBalancer("roundrobin", servers);
    const first = pickAndHold(balancer);
    const second = pickAndHold(balancer);
    expect(new Set([first?.name, second?.name])).toEqual(new Set(["A", "B"]));
    expect(balancer.pick({ sourceAddress: "127.0.0.1" })).toEqual({ server: null, reason: "all-full" });
    if (first) finish(balancer, first);
    expect(balancer.pick({ sourceAddress: "127.0.0.1" })).toEqual({ server: first, saturated: false });
  });
});
