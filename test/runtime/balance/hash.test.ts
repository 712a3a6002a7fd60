import { describe, expect, test } from "vitest";
import { createBalancer, sdbmHash, sourceHash, uriHash } from "../../../src/runtime/balance/index.js";
import { change, fakeServers } from "./fake-servers.js";

const bytes = (text: string): Uint8Array => Buffer.from(text, "latin1");

describe("hash functions", () => {
  test("sdbm: h = c + (h << 6) + (h << 16) - h on 32 bits", () => {
    expect(sdbmHash(bytes(""))).toBe(0);
    expect(sdbmHash(bytes("a"))).toBe(97);
    expect(sdbmHash(bytes("ab"))).toBe((98 + 97 * 65599) >>> 0);
  });

  test("sdbm reads bytes as signed chars, like HAProxy's C on x86", () => {
    expect(sdbmHash(new Uint8Array([0xff]))).toBe(0xffffffff);
    expect(sdbmHash(new Uint8Array([0x80]))).toBe((-128 >>> 0));
  });

  test("source: IPv4 is its number, IPv6 the XOR of its 32-bit words", () => {
    expect(sourceHash("10.0.0.5")).toBe(167772165);
    expect(sourceHash("::1")).toBe(1);
    expect(sourceHash("::ffff:127.0.0.2")).toBe((0xffff ^ 0x7f000002) >>> 0);
    expect(sourceHash("2001:db8::1")).toBe((0x20010db8 ^ 1) >>> 0);
    expect(sourceHash("not an address")).toBeNull();
    expect(sourceHash("")).toBeNull();
  });

  test("uri: hashing stops at the query string", () => {
    expect(uriHash("/url1?ignore=this-arg")).toBe(uriHash("/url1"));
    expect(uriHash("/url1")).not.toBe(uriHash("/url2"));
  });
});

describe("balance source", () => {
  // Worked examples from shared/research/runtime-semantics.md §1.5.
  test("3 equal servers: 10.0.0.5 → A, 10.0.0.6 → B", () => {
    const balancer = createBalancer("source", fakeServers({ A: {}, B: {}, C: {} }));
    expect(balancer.pick({ sourceAddress: "10.0.0.5" }).server?.name).toBe("A");
    expect(balancer.pick({ sourceAddress: "10.0.0.6" }).server?.name).toBe("B");
  });

  test("weights 6,3,1: 10.0.0.5 lands on slot 5 of the map, B", () => {
    const balancer = createBalancer("source", fakeServers({ A: { weight: 6 }, B: { weight: 3 }, C: { weight: 1 } }));
    expect(balancer.pick({ sourceAddress: "10.0.0.5" }).server?.name).toBe("B");
  });

  test("the same client always lands on the same server while nothing changes", () => {
    const balancer = createBalancer("source", fakeServers({ A: {}, B: { weight: 2 }, C: {} }));
    const first = balancer.pick({ sourceAddress: "192.0.2.77" }).server;
    for (let index = 0; index < 5; index++) expect(balancer.pick({ sourceAddress: "192.0.2.77" }).server).toBe(first);
  });

  test("a full server is still returned, flagged saturated, for the core to queue on it", () => {
    const servers = fakeServers({ A: { maxconn: 1 }, B: {} });
    const balancer = createBalancer("source", servers);
    const [serverA] = servers;
    if (!serverA) throw new Error("no server A");
    // 10.0.0.4 % 2 = 0: slot 0 of the map A B.
    expect(balancer.pick({ sourceAddress: "10.0.0.4" })).toEqual({ server: serverA, saturated: false });
    serverA.currentConnections = 1;
    expect(balancer.pick({ sourceAddress: "10.0.0.4" })).toEqual({ server: serverA, saturated: true });
  });

  test("no IP address: no-source-address", () => {
    expect(createBalancer("source", fakeServers({ A: {}, B: {} })).pick({ sourceAddress: "" })).toEqual({ server: null, reason: "no-source-address" });
  });

  test("when a server goes down the map is rebuilt over the others", () => {
    const servers = fakeServers({ A: {}, B: {}, C: {} });
    const balancer = createBalancer("source", servers);
    const [, serverB] = servers;
    if (!serverB) throw new Error("no server B");
    change(balancer, serverB, { usable: false });
    // 10.0.0.6 % 2 = 0 over the map A C.
    expect(balancer.pick({ sourceAddress: "10.0.0.6" }).server?.name).toBe("A");
  });
});

describe("balance uri", () => {
  // HAProxy's regtest reg-tests/balance/balance-uri.vtc: 4 servers of weight 1.
  test.each([
    ["/url1", "srv2"],
    ["/url1?ignore=this-arg", "srv2"],
    ["/url2", "srv3"],
    ["/url3", "srv4"],
    ["/url4", "srv1"],
  ])("%s → %s", (uri, expected) => {
    const balancer = createBalancer("uri", fakeServers({ srv1: {}, srv2: {}, srv3: {}, srv4: {} }));
    expect(balancer.pick({ sourceAddress: "127.0.0.1", uri }).server?.name).toBe(expected);
  });

  test("without a URI (TCP mode) it falls back to round-robin on the map", () => {
    const balancer = createBalancer("uri", fakeServers({ A: {}, B: {} }));
    const names = [1, 2, 3, 4].map(() => balancer.pick({ sourceAddress: "127.0.0.1" }).server?.name);
    expect(names).toEqual(["A", "B", "A", "B"]);
  });

  test("with a single usable server nothing is hashed", () => {
    const balancer = createBalancer("uri", fakeServers({ A: { usable: false }, B: {} }));
    expect(balancer.pick({ sourceAddress: "127.0.0.1", uri: "/anything" }).server?.name).toBe("B");
  });
});
