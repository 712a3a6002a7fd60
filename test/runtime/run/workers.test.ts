/**
 * `threads 2`: halb run as a primary with two worker processes sharing the listening socket. The
 * workers must act as one node: counters add up on the statistics page whichever worker serves
 * it, an admin action and a health check verdict reach both, SIGHUP and SIGTERM reach both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOOPBACK_CLUSTER, Origin } from "./harness.js";
import { row, statsRows } from "./run-kit.js";

const AUTH = { authorization: `Basic ${Buffer.from("admin:pw").toString("base64")}` };

describe("halb run with threads 2", () => {
  let run: HalbRun;
  let a: Origin;
  let b: Origin;
  let port: number;
  let statsPort: number;
  let cleanup: () => void;

  beforeAll(async () => {
    a = await Origin.start("a");
    b = await Origin.start("b");
    port = await freePort();
    statsPort = await freePort();
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
global {
  threads 2
}
defaults {
  mode http
  timeout connect 1s client 5s server 5s check 500ms
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin pw
  admin
}
frontend www {
  bind 127.0.0.1:${port}
  default -> web
}
backend web {
  health http GET /health every 300ms rise 1 fall 1
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}
}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    await a?.close();
    await b?.close();
    cleanup?.();
  });

  async function csvRow(proxy: string, server: string): Promise<Record<string, string>> {
    return row(await statsRows(statsPort, "/stats", "admin", "pw"), proxy, server);
  }

  it("starts two workers and serves through both", async () => {
    expect(run.stderr.some((line) => /2 workers serving 127\.0\.0\.1:\d+/.test(line))).toBe(true);
    const bodies = new Set<string>();
    for (let i = 0; i < 10; i++) bodies.add((await get(port)).body);
    expect(bodies).toEqual(new Set(["a", "b"]));
  });

  it("adds up every worker's counters on the statistics page", async () => {
    const before = Number((await csvRow("web", "BACKEND"))["stot"]);
    // Forty new connections: the kernel spreads them over both workers.
    await Promise.all(Array.from({ length: 40 }, () => get(port)));
    const after = Number((await csvRow("web", "BACKEND"))["stot"]);
    expect(after - before).toBe(40);
  });

  it("applies an admin action in every worker", async () => {
    const form = "s=a&action=maint&b=web";
    const raw = `POST /stats HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: ${AUTH.authorization}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${form.length}\r\n\r\n${form}`;
    const { rawExchange } = await import("./harness.js");
    expect(await rawExchange(statsPort, raw)).toMatch(/^HTTP\/1\.1 303/);
    const served = a.served;
    for (let i = 0; i < 20; i++) expect((await get(port)).body).toBe("b");
    expect(a.served).toBe(served);
    const ready = "s=a&action=ready&b=web";
    await rawExchange(statsPort, raw.replace(form, ready).replace(`content-length: ${form.length}`, `content-length: ${ready.length}`));
    const bodies = new Set<string>();
    for (let i = 0; i < 10; i++) bodies.add((await get(port)).body);
    expect(bodies.has("a")).toBe(true);
  });

  it("shares health check verdicts: a dead server leaves both workers' rotation", async () => {
    const savedPort = b.port;
    await b.close();
    await run.waitFor(() => run.stdout.some((line) => line.includes("Server web/b is DOWN")), 5000, "b to go DOWN");
    for (let i = 0; i < 20; i++) expect((await get(port)).body).toBe("a");
    b = await Origin.start("b", savedPort);
    await run.waitFor(() => run.stdout.some((line) => line.includes("Server web/b is UP")), 5000, "b to come back");
  });

  it("stops every worker on SIGTERM and exits 0", async () => {
    run.signal("SIGTERM");
    expect(await run.exited()).toBe(0);
  });
});
