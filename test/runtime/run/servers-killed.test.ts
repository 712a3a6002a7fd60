/**
 * The acceptance point "while at least one healthy server remains, no client request fails when
 * another server is killed": three origins behind `balance roundrobin`, `retries 3`, `option
 * redispatch` and HTTP health checks; twenty clients (half kept alive, half a connection per
 * request) loop on GET while one origin dies abruptly (listener closed, every connection
 * destroyed), then a second one. A request that meets the dead server before the health check
 * notices is refused at connect time and redispatched (runtime-semantics §1.10: roundrobin with
 * more than one usable server redispatches on every retry); once the check says DOWN the server
 * gets no traffic at all. The origins answer synchronously, so a kill never cuts a request the
 * origin had read (HAProxy itself does not retry once a request was sent, §1.10).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, HalbRun, LOOPBACK_CLUSTER } from "./harness.js";
import { HttpOrigin, LoadLoops, row, statsRows, until } from "./run-kit.js";

describe("halb run while servers are killed", () => {
  const origins: HttpOrigin[] = [];
  let run: HalbRun;
  let cleanup: () => void;
  let port: number;
  let statsPort: number;
  const stats = () => statsRows(statsPort, "/stats", "admin", "pw");
  const server = async (name: string) => row(await stats(), "web", name);

  beforeAll(async () => {
    for (const name of ["a", "b", "c"]) origins.push(await HttpOrigin.start(name));
    const [a, b, c] = origins as [HttpOrigin, HttpOrigin, HttpOrigin];
    port = await freePort();
    statsPort = await freePort();
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
defaults {
  mode http
  retries 3
  timeout connect 1s client 10s server 5s http-keep-alive 10s
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin pw
}
frontend www {
  bind 127.0.0.1:${port}
  default -> web
}
backend web {
  balance roundrobin
  option redispatch
  health http GET /health expect 200 every 1s rise 1 fall 1
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}
  server c 127.0.0.1:${c.port}
}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    for (const origin of origins) await origin.close();
    cleanup?.();
  });

  it("loses no request when one server, then a second, is killed, and takes a restarted one back", async () => {
    const [a, b, c] = origins as [HttpOrigin, HttpOrigin, HttpOrigin];
    const loops = new LoadLoops(port, 20, 10, new Set(["a", "b", "c"]));
    const events: string[] = [];
    const mark = (what: string): void => void events.push(`${performance.now().toFixed(1)} ${what} (ok ${loops.ok})`);
    const report = (): string =>
      `ok ${loops.ok}, by server ${JSON.stringify([...loops.byServer])}\nevents:\n${events.join("\n")}\nfirst failures: ${JSON.stringify(loops.failures.slice(0, 5), null, 1)}\nhalb stdout:\n${run.stdout.slice(-20).join("\n")}`;
    try {
      // Warm up until the pools of server connections are steady: a kill should meet requests on
      // reused connections (halb retries those on a new connection, as the server never read them),
      // not the first request of a just-opened one (lost with the server, in HAProxy too: §1.10).
      await until(() => a.served >= 300 && b.served >= 300 && c.served >= 300, 5000, "traffic on all three servers", report);

      // Kill a. Its next health check (every 1 s) takes it DOWN; until then requests that pick it are redispatched.
      a.kill();
      mark("a killed");
      await until(async () => (await server("a")).status === "DOWN", 3000, "a to be DOWN");
      mark("a DOWN");
      const aDown = await server("a");
      const downAt = loops.total;
      // 500 requests more: a gets none, and b and c settle into their larger share of the load.
      await until(() => loops.total >= downAt + 500, 5000, "500 requests after a went DOWN", report);
      const afterA = await server("a");
      expect(afterA.status).toBe("DOWN");
      // No traffic for a once it is DOWN: not picked, no connection attempted.
      expect(afterA.lbtot).toBe(aDown.lbtot);
      expect(afterA.connect).toBe(aDown.connect);
      expect(afterA.scur).toBe("0");

      // Kill b too: only c remains.
      b.kill();
      mark("b killed");
      const bKilledAt = loops.total;
      await until(async () => (await server("b")).status === "DOWN", 3000, "b to be DOWN");
      mark("b DOWN");
      const bDown = await server("b");
      const cBefore = loops.byServer.get("c") ?? 0;
      const totalBefore = loops.ok;
      await until(() => loops.total >= bKilledAt + 300 && loops.ok >= totalBefore + 200, 5000, "300 requests after the second kill", report);
      const afterB = await server("b");
      expect(afterB.status).toBe("DOWN");
      expect(afterB.lbtot).toBe(bDown.lbtot);
      expect(afterB.connect).toBe(bDown.connect);
      // Every answer since b went DOWN came from c.
      expect((loops.byServer.get("c") ?? 0) - cBefore).toBe(loops.ok - totalBefore);

      // The kills really made requests retry and redispatch (they met a dead server before its check).
      const backend = await server("BACKEND");
      expect(Number(backend.wredis)).toBeGreaterThan(0);
      expect(Number(backend.wretr)).toBeGreaterThanOrEqual(Number(backend.wredis));

      // Restart a on its port: its next check brings it UP and it takes a share again.
      await a.restart();
      mark("a restarted");
      const aServedBefore = a.served;
      await until(async () => (await server("a")).status === "UP", 3000, "a to be UP again");
      const okBefore = loops.ok;
      await until(() => loops.ok >= okBefore + 400, 5000, "400 requests after the restart", report);
      const share = (a.served - aServedBefore) / (loops.ok - okBefore);
      expect(share).toBeGreaterThan(0.3);
    } finally {
      await loops.stop();
    }
    mark("stopped");
    expect(loops.failures.length, report()).toBe(0);
    expect(loops.ok).toBeGreaterThan(1000);
    expect(run.child.exitCode).toBeNull();
  });
});
