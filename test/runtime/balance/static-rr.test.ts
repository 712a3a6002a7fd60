import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createBalancer } from "../../../src/runtime/balance/index.js";
import { change, fakeServers, pickAndHold, pickSequence } from "./fake-servers.js";

const letters = (names: string[]): string => names.join("").replaceAll("s", "");
const weighted = (...weights: number[]) => fakeServers(Object.fromEntries(weights.map((weight, index) => [`s${String.fromCharCode(65 + index)}`, { weight }])));

describe("static-rr (static map)", () => {
  // Orders worked out independently in shared/research/runtime-semantics.md §1.3.
  test.each([
    [[6, 3], "AAB"],
    [[6, 3, 1], "AABAABABAC"],
    [[3, 2, 1], "AABABC"],
    [[1, 1, 1], "ABC"],
  ])("weights %j repeat %s", (weights, period) => {
    const balancer = createBalancer("static-rr", weighted(...weights));
    expect(letters(pickSequence(balancer, period.length * 3))).toBe(period.repeat(3));
  });

  test("differs from roundrobin for the same weights", () => {
    expect(pickSequence(createBalancer("static-rr", weighted(6, 3, 1)), 10)).not.toEqual(pickSequence(createBalancer("roundrobin", weighted(6, 3, 1)), 10));
  });

  test("one map period gives every server its weight divided by the weights' GCD", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4 }), (base, factor) => {
        const weights = base.map((weight) => weight * factor);
        const servers = weighted(...weights);
        const names = pickSequence(createBalancer("static-rr", servers), base.reduce((a, b) => a + b, 0) * 2);
        for (const [index, server] of servers.entries()) {
          expect(names.filter((name) => name === server.name).length).toBe(2 * (base[index] ?? 0));
        }
      }),
    );
  });

  test("a server coming back is used again at once; weight 0 removes it", () => {
    const servers = weighted(1, 1, 1);
    const balancer = createBalancer("static-rr", servers);
    const [, serverB, serverC] = servers;
    if (!serverB || !serverC) throw new Error("missing servers");
    change(balancer, serverB, { usable: false });
    expect(pickSequence(balancer, 6)).not.toContain("sB");
    change(balancer, serverB, { usable: true });
    expect(pickSequence(balancer, 3)).toContain("sB");
    change(balancer, serverC, { weight: 0 });
    expect(pickSequence(balancer, 6)).not.toContain("sC");
  });

  test("saturated servers are skipped", () => {
    const servers = fakeServers({ A: { weight: 2, maxconn: 1 }, B: {} });
    const balancer = createBalancer("static-rr", servers);
    expect(pickAndHold(balancer)?.name).toBe("A");
    expect(pickSequence(balancer, 4)).toEqual(["B", "B", "B", "B"]);
  });
});
