/** The contract of createBalancer shared by every algorithm: outcomes, backups, queues, avoidance. */
import { describe, expect, test } from "vitest";
import type { Balance } from "../../../src/ir/types.js";
import { allBackupsInForce, createBalancer, type Balancer } from "../../../src/runtime/balance/index.js";
import { anyRequest, change, fakeServers, pickAndFinish, pickAndHold, pickSequence, type FakeServer } from "./fake-servers.js";

const ALL: readonly Balance[] = ["roundrobin", "static-rr", "leastconn", "source", "uri", "first", "random"];

/** Requests from many clients and paths, so the hash-based algorithms visit every server too. */
const variedPicks = (balancer: Balancer<FakeServer>, count: number): string[] =>
  Array.from({ length: count }, (_, index) => pickAndFinish(balancer, { sourceAddress: `10.0.${index % 7}.${index}`, uri: `/page/${index}` }));

describe.each(ALL)("%s", (balance) => {
  test("none-up when no server is usable, or only weight-0 ones are", () => {
    expect(createBalancer(balance, fakeServers({ A: { usable: false }, B: { weight: 0 } })).pick(anyRequest)).toEqual({ server: null, reason: "none-up" });
    expect(createBalancer<FakeServer>(balance, []).pick(anyRequest)).toEqual({ server: null, reason: "none-up" });
  });

  test("none-up once the last server goes down, and back when one returns", () => {
    const servers = fakeServers({ A: {} });
    const balancer = createBalancer(balance, servers);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    change(balancer, serverA, { usable: false });
    expect(balancer.pick(anyRequest)).toEqual({ server: null, reason: "none-up" });
    change(balancer, serverA, { usable: true });
    expect(balancer.pick(anyRequest)).toEqual({ server: serverA, saturated: false });
  });

  test("backups serve only while no active server is usable, and then only the first usable one", () => {
    const servers = fakeServers({ A: { usable: false }, B: { usable: false }, b1: { backup: true }, b2: { backup: true } });
    const balancer = createBalancer(balance, servers);
    expect(new Set(variedPicks(balancer, 40))).toEqual(new Set(["b1"]));
    const [, serverB, backup1] = servers;
    if (!serverB || !backup1) throw new Error("missing servers");
    change(balancer, backup1, { usable: false });
    expect(new Set(variedPicks(balancer, 40))).toEqual(new Set(["b2"]));
    change(balancer, serverB, { usable: true });
    expect(new Set(variedPicks(balancer, 40))).toEqual(new Set(["B"]));
  });

  test("with allbackups every usable backup takes a share", () => {
    const servers = fakeServers({ A: { usable: false }, b1: { backup: true }, b2: { backup: true } });
    const balancer = createBalancer(balance, servers, { allBackups: true });
    const picks = balance === "first" ? ["b1"] : ["b1", "b2"];
    expect(new Set(variedPicks(balancer, 60))).toEqual(new Set(picks));
  });

  test("reporting a state that did not change changes nothing", () => {
    const servers = fakeServers({ A: { weight: 3 }, B: { weight: 2 }, C: {} });
    const reference = pickSequence(createBalancer(balance, fakeServers({ A: { weight: 3 }, B: { weight: 2 }, C: {} }), { random32: () => 12345 }), 12);
    const balancer = createBalancer(balance, servers, { random32: () => 12345 });
    const names: string[] = [];
    for (let index = 0; index < 12; index++) {
      for (const server of servers) balancer.serverStateChanged(server);
      names.push(...pickSequence(balancer, 1));
    }
    expect(names).toEqual(reference);
  });

  test("a server that is not in the backend is a programming error", () => {
    const balancer = createBalancer(balance, fakeServers({ A: {} }));
    const [stranger] = fakeServers({ Z: {} });
    if (!stranger) throw new Error("no stranger");
    expect(() => balancer.serverStateChanged(stranger)).toThrow(/Z is not one of this backend's servers/);
  });
});

describe("queues and retries", () => {
  test("roundrobin, static-rr and first queue a newcomer behind an existing backend queue", () => {
    for (const balance of ALL) {
      const outcome = createBalancer(balance, fakeServers({ A: {}, B: {} })).pick({ ...anyRequest, backendQueueLength: 1 });
      if (["roundrobin", "static-rr", "first"].includes(balance)) expect(outcome, balance).toEqual({ server: null, reason: "all-full" });
      else expect(outcome.server, balance).not.toBeNull();
    }
  });

  test.each(["roundrobin", "static-rr", "leastconn", "first"] as const)("%s avoids the server a retry leaves, unless it is the only one with room", (balance) => {
    const servers = fakeServers({ A: {}, B: { maxconn: 1 } });
    const [serverA, serverB] = servers;
    if (!serverA || !serverB) throw new Error("missing servers");
    const balancer = createBalancer(balance, servers);
    expect(balancer.pick({ ...anyRequest, avoid: serverA }).server).toBe(serverB);
    serverB.currentConnections = 1;
    expect(balancer.pick({ ...anyRequest, avoid: serverA }).server).toBe(serverA);
  });

  test("random steps past the server to avoid on its ring", () => {
    const servers = fakeServers({ A: {}, B: {} });
    const [serverA] = servers;
    const balancer = createBalancer("random", servers, { random32: () => 0 });
    const names = new Set(Array.from({ length: 20 }, () => balancer.pick({ ...anyRequest, avoid: serverA }).server?.name));
    expect(names).toEqual(new Set(["B"]));
  });

  test("the lone first backup is returned even when full, flagged saturated", () => {
    const servers = fakeServers({ A: { usable: false }, b1: { backup: true, maxconn: 1 }, b2: { backup: true } });
    const balancer = createBalancer("roundrobin", servers);
    expect(pickAndHold(balancer)?.name).toBe("b1");
    expect(balancer.pick(anyRequest)).toEqual({ server: servers[1], saturated: true });
  });
});

describe("allBackupsInForce", () => {
  test("reads option allbackups from the defaults or the backend", () => {
    expect(allBackupsInForce({ options: [] }, { options: ["allbackups"] })).toBe(true);
    expect(allBackupsInForce({ options: ["allbackups"] }, { options: [] })).toBe(true);
    expect(allBackupsInForce({ options: ["redispatch"] }, { options: ["httplog"] })).toBe(false);
  });
});
