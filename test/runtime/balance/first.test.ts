import { describe, expect, test } from "vitest";
import { createBalancer } from "../../../src/runtime/balance/index.js";
import { change, fakeServers, finish, pickAndHold, pickSequence } from "./fake-servers.js";

describe("first", () => {
  test("without maxconn the lowest id takes everything, whatever the weights", () => {
    expect(new Set(pickSequence(createBalancer("first", fakeServers({ A: { weight: 1 }, B: { weight: 100 } })), 10))).toEqual(new Set(["A"]));
  });

  test("servers are ordered by id, not by declaration", () => {
    const balancer = createBalancer("first", fakeServers({ A: { id: 3 }, B: { id: 1 }, C: { id: 2 } }));
    expect(pickSequence(balancer, 2)).toEqual(["B", "B"]);
  });

  test("fills servers up to their maxconn in id order, then reports all-full", () => {
    const servers = fakeServers({ A: { maxconn: 2 }, B: { maxconn: 1 } });
    const balancer = createBalancer("first", servers);
    expect([1, 2, 3].map(() => pickAndHold(balancer)?.name)).toEqual(["A", "A", "B"]);
    expect(balancer.pick({ sourceAddress: "127.0.0.1" })).toEqual({ server: null, reason: "all-full" });
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    finish(balancer, serverA);
    expect(pickAndHold(balancer)?.name).toBe("A");
  });

  test("skips a server that is down, drained or has weight 0", () => {
    const servers = fakeServers({ A: {}, B: { weight: 0 }, C: {} });
    const balancer = createBalancer("first", servers);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    change(balancer, serverA, { usable: false });
    expect(pickSequence(balancer, 2)).toEqual(["C", "C"]);
  });
});
