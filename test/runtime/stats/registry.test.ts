import { describe, expect, it } from "vitest";
import type { Ir } from "../../../src/ir/types.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { seedIr, tcpListenIr } from "../../helpers/sample-ir.js";
import { fixtureIr } from "./fixture-ir.js";

describe("StatsRegistry", () => {
  it("lists proxies in haproxy.cfg's order (stats, frontends, listens, backends) and numbers them from 1", () => {
    const registry = new StatsRegistry(fixtureIr(), { nowMs: 0, processMaxconn: 9990 });
    expect(registry.proxies.map((proxy) => [proxy.iid, proxy.name, proxy.kind, proxy.frontend !== null, proxy.backend !== null])).toEqual([
      [1, "stats", "stats", true, true],
      [2, "www", "frontend", true, false],
      [3, "db", "listen", true, true],
      [4, "app", "backend", false, true],
    ]);
    expect(registry.backend("app").servers.map((server) => [server.sid, server.name])).toEqual([
      [1, "s1"],
      [2, "s2"],
      [3, "s3"],
      [4, "s4"],
    ]);
    expect(registry.server("app", "s3").status.maintenance).toBe(true);
    expect(registry.server("app", "s4").status.check).toBeNull();
    expect(registry.server("db", "db1").maxconn).toBe(50);
  });

  it("sets the session limits as HAProxy does: maxconn inherited, fullconn 10 % of the routing frontends, at least 1", () => {
    // www has maxconn 500 and routes to app twice (a rule and the default): counted once.
    const registry = new StatsRegistry(fixtureIr(), { nowMs: 0, processMaxconn: 9990 });
    expect(registry.frontend("stats").maxconn).toBe(4096);
    expect(registry.frontend("www").maxconn).toBe(500);
    expect(registry.backend("app").fullconn).toBe(50);
    expect(registry.backend("db").fullconn).toBe(410);
    expect(registry.backend("stats").fullconn).toBe(410);

    const { maxconn: _noGlobalMaxconn, ...global } = seedIr.haproxy.global;
    const noLimits: Ir = { ...seedIr, haproxy: { ...seedIr.haproxy, global, defaults: { ...seedIr.haproxy.defaults, maxconn: 2000 } } };
    const inherited = new StatsRegistry(noLimits, { nowMs: 0, processMaxconn: 9990 });
    expect(inherited.processMaxconn).toBe(9990);
    expect(inherited.frontend("www").maxconn).toBe(2000);
    expect(inherited.backend("server_www").fullconn).toBe(200);
  });

  it("gives an unreferenced backend a fullconn of 1", () => {
    const ir: Ir = { ...tcpListenIr, haproxy: { ...tcpListenIr.haproxy, frontends: [] } };
    const registry = new StatsRegistry(ir, { nowMs: 0, processMaxconn: 9990 });
    expect(registry.backend("server_www").fullconn).toBe(1);
  });

  it("refuses names it does not know", () => {
    const registry = new StatsRegistry(fixtureIr(), { nowMs: 0, processMaxconn: 9990 });
    expect(() => registry.frontend("app")).toThrow(/no frontend named app/);
    expect(() => registry.backend("www")).toThrow(/no backend named www/);
    expect(() => registry.server("app", "s9")).toThrow(/no server app\/s9/);
  });
});
