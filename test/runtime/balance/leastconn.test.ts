import { describe, expect, test } from "vitest";
import { createBalancer } from "../../../src/runtime/balance/index.js";
import { change, fakeServers, finish, pickAndHold, pickSequence, type FakeServer } from "./fake-servers.js";

const hold = (balancer: ReturnType<typeof createBalancer<FakeServer>>, count: number): string[] =>
  Array.from({ length: count }, () => pickAndHold(balancer)?.name ?? "-");

describe("leastconn", () => {
  test("short sequential requests rotate over idle equal servers", () => {
    const balancer = createBalancer("leastconn", fakeServers({ A: {}, B: {}, C: {} }));
    expect(pickSequence(balancer, 6)).toEqual(["A", "B", "C", "A", "B", "C"]);
  });

  test("the least loaded server takes the next request", () => {
    const servers = fakeServers({ A: {}, B: {}, C: {} });
    const balancer = createBalancer("leastconn", servers);
    hold(balancer, 3);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    finish(balancer, serverA);
    expect(pickAndHold(balancer)?.name).toBe("A");
  });

  test("load is compared relative to weight: under sustained load connections follow the weights", () => {
    const servers = fakeServers({ A: { weight: 3 }, B: { weight: 1 } });
    const balancer = createBalancer("leastconn", servers);
    hold(balancer, 40);
    expect(servers.map((server) => server.currentConnections)).toEqual([30, 10]);
  });

  test("an idle server is always preferred, whatever the weights", () => {
    const servers = fakeServers({ A: { weight: 10 }, B: { weight: 1 } });
    const balancer = createBalancer("leastconn", servers);
    expect(hold(balancer, 2)).toEqual(["A", "B"]);
  });

  test("a full server is skipped; all-full when every server is", () => {
    const balancer = createBalancer("leastconn", fakeServers({ A: { maxconn: 1 }, B: { maxconn: 2 } }));
    expect(hold(balancer, 3).sort()).toEqual(["A", "B", "B"]);
    expect(balancer.pick({ sourceAddress: "127.0.0.1" })).toEqual({ server: null, reason: "all-full" });
  });

  test("down, drained and weight-0 servers are left out; a returning server is idle and first", () => {
    const servers = fakeServers({ A: {}, B: {}, C: { weight: 0 } });
    const balancer = createBalancer("leastconn", servers);
    const [serverA, serverB] = servers;
    if (!serverA || !serverB) throw new Error("missing servers");
    change(balancer, serverB, { usable: false });
    expect(hold(balancer, 3)).toEqual(["A", "A", "A"]);
    change(balancer, serverB, { usable: true });
    expect(pickAndHold(balancer)?.name).toBe("B");
  });
});
