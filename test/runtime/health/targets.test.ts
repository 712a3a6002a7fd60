/** From a compiled spec to the health checker's targets: the facts haproxy.cfg gets, and nothing else. */
import { describe, expect, it } from "vitest";
import { healthTargetsFromIr } from "../../../src/runtime/health/targets.js";
import { compileText } from "../../helpers/compile-case.js";

const SPEC = `
cluster t {
  interface lo
  vip 127.0.0.200/32
  vrid 51
  node a 127.0.0.1 master
  node b 127.0.0.2 backup
}
defaults {
  mode http
  timeout connect 300ms client 5s server 5s check 2s
}
backend web {
  health http HEAD env(CHECK_PATH) expect 204 every 500ms rise 3 fall 4
  server w1 127.0.0.1:8001 weight 5
  server w2 127.0.0.1:8002 backup disabled
  server w3 127.0.0.1:8003 check off
}
backend plain {
  timeout connect 1s
  server p1 127.0.0.1:8010
}
listen db {
  bind 127.0.0.1:3306
  mode tcp
  health tcp every 2s rise 1 fall 2
  server d1 [::1]:5432
}
`;

describe("healthTargetsFromIr", () => {
  const compiled = compileText("t.hal", SPEC, { CHECK_PATH: "/ready" });

  it("lists listens first, then backends, as haproxy.cfg does", () => {
    expect(compiled.report).toBe("");
    const targets = healthTargetsFromIr(compiled.ir!, { CHECK_PATH: "/ready" });
    expect(targets.map((t) => `${t.proxyKind} ${t.proxy}/${t.server}`)).toEqual([
      "listen db/d1",
      "backend web/w1",
      "backend web/w2",
      "backend web/w3",
      "backend plain/p1",
    ]);
  });

  it("carries the check plan with the effective timeouts and the expanded path", () => {
    const [d1, w1, w2, w3, p1] = healthTargetsFromIr(compiled.ir!, { CHECK_PATH: "/ready" });
    expect(d1).toMatchObject({ address: "::1", family: 6, port: 5432 });
    expect(d1!.check).toEqual({ kind: "tcp", intervalMs: 2000, rise: 1, fall: 2, limits: { kind: "split", connectMs: 300, responseMs: 2000 } });
    expect(w1).toMatchObject({ weight: 5, backup: false, disabled: false });
    expect(w1!.check).toEqual({
      kind: "http",
      method: "HEAD",
      path: "/ready",
      expectStatus: 204,
      intervalMs: 500,
      rise: 3,
      fall: 4,
      limits: { kind: "split", connectMs: 300, responseMs: 2000 },
    });
    expect(w2).toMatchObject({ backup: true, disabled: true });
    expect(w2!.check).not.toBeNull();
    expect(w3!.check).toBeNull();
    expect(p1!.check).toBeNull();
  });

  it("names a missing variable", () => {
    expect(() => healthTargetsFromIr(compiled.ir!, {})).toThrow("CHECK_PATH");
  });
});
