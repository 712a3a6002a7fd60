/**
 * Per-server `maxconn` and the queues (runtime-semantics §1.12): with `maxconn 1`, a second
 * concurrent request waits and is served after the first (never refused), waiters are served in
 * arrival order, `timeout queue` answers 503 (`sQ`, §1.11) to one that waited too long, and
 * `option abortonclose` drops a queued request whose client closed, so the server never sees it;
 * without it HAProxy keeps a half-closed client's request (configuration.txt, abortonclose).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOOPBACK_CLUSTER, parseResponse } from "./harness.js";
import { HttpOrigin, NO_SERVER_503, RawClient, statsRows, until } from "./run-kit.js";

/** Answers `<name> <url>` after `?ms=N` milliseconds. */
function slowOrigin(name: string): Promise<HttpOrigin> {
  return HttpOrigin.start(name, (request, response) => {
    const ms = Number(/[?&]ms=(\d+)/.exec(request.url ?? "")?.[1] ?? 0);
    request.resume();
    setTimeout(() => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`${name} ${request.url}`);
    }, ms);
  });
}

describe("halb run queues behind maxconn", () => {
  const origins = new Map<string, HttpOrigin>();
  let run: HalbRun;
  let cleanup: () => void;
  let port: number;
  let statsPort: number;

  beforeAll(async () => {
    for (const name of ["q", "qt", "ab", "nab"]) origins.set(name, await slowOrigin(name));
    port = await freePort();
    statsPort = await freePort();
    const backend = (name: string, extra: string): string => `backend ${name} {
${extra}
  server s 127.0.0.1:${origins.get(name)!.port} maxconn 1
}`;
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
global {
  log 127.0.0.1 local0
}
defaults {
  mode http
  log global
  option httplog
  timeout connect 1s client 10s server 10s queue 5s
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin pw
}
frontend www {
  bind 127.0.0.1:${port}
  route host q.test -> q
  route host qt.test -> qt
  route host ab.test -> ab
  route host nab.test -> nab
}
${backend("q", "")}
${backend("qt", "  timeout queue 300ms")}
${backend("ab", "  option abortonclose")}
${backend("nab", "")}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    for (const origin of origins.values()) await origin.close();
    cleanup?.();
  });

  /** Requests waiting in the backend's queues (its server's and its own). */
  async function queued(backend: string): Promise<number> {
    const rows = await statsRows(statsPort, "/stats", "admin", "pw");
    return rows.filter((r) => r.pxname === backend && r.svname !== "FRONTEND").reduce((sum, r) => sum + Number(r.qcur || 0), 0);
  }

  /** Sends a GET on its own connection and resolves with the response and when it came. */
  function timedGet(host: string, path: string): Promise<{ status: number; body: string; ms: number }> {
    const started = performance.now();
    return get(port, path, { host }).then((response) => ({ status: response.status, body: response.body, ms: performance.now() - started }));
  }

  it("makes a second concurrent request wait for the first instead of refusing it", async () => {
    const origin = origins.get("q")!;
    const first = timedGet("q.test", "/first?ms=300");
    await until(() => origin.inFlight === 1, 2000, "the first request at the origin");
    const second = timedGet("q.test", "/second?ms=300");
    const [one, two] = await Promise.all([first, second]);
    expect(one).toMatchObject({ status: 200, body: "q /first?ms=300" });
    expect(two).toMatchObject({ status: 200, body: "q /second?ms=300" });
    expect(origin.maxInFlight).toBe(1);
    const [seenFirst, seenSecond] = origin.requests.filter((r) => r.url !== "/health").slice(-2);
    // The second reached the origin only once the first had been answered.
    expect(seenSecond!.at).toBeGreaterThanOrEqual(seenFirst!.answeredAt!);
    expect(two.ms).toBeGreaterThanOrEqual(one.ms);
  });

  it("serves waiting requests in arrival order (FIFO)", async () => {
    const origin = origins.get("q")!;
    const before = origin.served;
    const answers = [timedGet("q.test", "/1?ms=300")];
    await until(() => origin.inFlight === 1, 2000, "request 1 at the origin");
    for (let i = 2; i <= 6; i++) {
      answers.push(timedGet("q.test", `/${i}?ms=20`));
      await until(async () => (await queued("q")) === i - 1, 2000, `request ${i} to be queued`);
    }
    const results = await Promise.all(answers);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(origin.urls.slice(before)).toEqual(["/1?ms=300", "/2?ms=20", "/3?ms=20", "/4?ms=20", "/5?ms=20", "/6?ms=20"]);
    expect(origin.maxInFlight).toBe(1);
  });

  it("answers 503 (sQ) to a request that waited longer than timeout queue, and never sends it", async () => {
    const origin = origins.get("qt")!;
    const first = timedGet("qt.test", "/long?ms=1000");
    await until(() => origin.inFlight === 1, 2000, "the first request at the origin");
    const waited = await timedGet("qt.test", "/waits");
    expect(waited.status).toBe(503);
    expect(waited.body).toBe(NO_SERVER_503);
    expect(waited.ms).toBeGreaterThanOrEqual(280);
    expect(waited.ms).toBeLessThan(900);
    expect((await first).status).toBe(200);
    // A later request is served; the timed-out one never reached the origin.
    expect((await timedGet("qt.test", "/after")).status).toBe(200);
    expect(origin.urls).toEqual(["/long?ms=1000", "/after"]);
    // Every server was full, so it waited in the backend's queue, bound to no server (§1.12): <NOSRV>.
    await run.waitFor(() => run.stdout.some((line) => line.includes('"GET /waits HTTP/1.1"')), 2000, "the log line");
    expect(run.stdout.find((line) => line.includes('"GET /waits HTTP/1.1"'))).toMatch(/ www qt\/<NOSRV> \d+\/\d+\/-1\/-1\/\d+ 503 \d+ - - sQ-- \d+\/\d+\/\d+\/\d+\/0 0\/0 "GET \/waits HTTP\/1\.1"$/);
  });

  it("with abortonclose, drops a queued request whose client closed: the server never sees it", async () => {
    const origin = origins.get("ab")!;
    const first = timedGet("ab.test", "/first?ms=500");
    await until(() => origin.inFlight === 1, 2000, "the first request at the origin");
    const client = await RawClient.connect(port);
    client.write("GET /abandoned HTTP/1.1\r\nhost: ab.test\r\n\r\n");
    await until(async () => (await queued("ab")) === 1, 2000, "the request to be queued");
    client.socket.end();
    // It leaves the queue as soon as the close is seen, long before the slot frees.
    await until(async () => (await queued("ab")) === 0, 300, "the abandoned request to leave the queue");
    expect(origin.inFlight).toBe(1);
    expect((await first).status).toBe(200);
    expect((await timedGet("ab.test", "/after")).status).toBe(200);
    expect(origin.urls).toEqual(["/first?ms=500", "/after"]);
    await run.waitFor(() => run.stdout.some((line) => line.includes('"GET /abandoned HTTP/1.1"')), 2000, "the log line");
    expect(run.stdout.find((line) => line.includes('"GET /abandoned HTTP/1.1"'))).toMatch(/ www ab\/<NOSRV> \d+\/-1\/-1\/-1\/\d+ -1 0 - - CQ-- /);
    client.destroy();
  });

  it("without abortonclose, still serves a queued request whose client half-closed, on the half-closed connection", async () => {
    const origin = origins.get("nab")!;
    const first = timedGet("nab.test", "/first?ms=400");
    await until(() => origin.inFlight === 1, 2000, "the first request at the origin");
    const client = await RawClient.connect(port);
    client.write("GET /half-closed HTTP/1.1\r\nhost: nab.test\r\n\r\n");
    await until(async () => (await queued("nab")) === 1, 2000, "the request to be queued");
    client.socket.end();
    expect((await first).status).toBe(200);
    await client.waitEnded(3000);
    const response = parseResponse(client.text);
    expect(response.status).toBe(200);
    expect(response.body).toBe("nab /half-closed");
    expect(origin.urls).toEqual(["/first?ms=400", "/half-closed"]);
  });
});
