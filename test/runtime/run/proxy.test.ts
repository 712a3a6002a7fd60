/**
 * `halb run` as a process on loopback: listeners, routing, balancing order, X-Forwarded-For,
 * HAProxy's error answers, bad input, and the statistics CSV. The same specs run under real
 * HAProxy in the differential suite; here each behaviour is pinned on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOOPBACK_CLUSTER, Origin, parseResponse, rawExchange } from "./harness.js";

const NO_SERVER_503 = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";

describe("halb run serving HTTP", () => {
  const origins: Origin[] = [];
  let run: HalbRun;
  let cleanup: () => void;
  let port: number;
  let statsPort: number;

  beforeAll(async () => {
    for (const name of ["a", "b", "c", "api"]) origins.push(await Origin.start(name));
    const [a, b, c, api] = origins as [Origin, Origin, Origin, Origin];
    port = await freePort();
    statsPort = await freePort();
    const deadPort = await freePort();
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
global {
  maxconn 1000
  log 127.0.0.1 local0 info
}
defaults {
  mode http
  log global
  option httplog
  timeout connect 1s client 5s server 2s http-request 300ms
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin secret-password
}
frontend www {
  bind 127.0.0.1:${port}
  option forwardfor
  route host api.example.com -> api
  route host www.example.com path /slow -> slow
  route host www.example.com -> web
  route host dead.example.com -> dead
}
backend web {
  balance roundrobin
  server a 127.0.0.1:${a.port} weight 6
  server b 127.0.0.1:${b.port} weight 3
  server c 127.0.0.1:${c.port} weight 1
}
backend api {
  server api 127.0.0.1:${api.port}
}
backend slow {
  timeout server 200ms
  server a 127.0.0.1:${a.port}
}
backend dead {
  retries 1
  server gone 127.0.0.1:${deadPort}
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

  it("follows HAProxy's weighted round robin: weights 6,3,1 give A A B A C A B A A B", async () => {
    const order: string[] = [];
    for (let i = 0; i < 10; i++) order.push((await get(port, "/", { host: "www.example.com" })).body);
    expect(order.join(" ")).toBe("a a b a c a b a a b");
  });

  it("routes by hdr_dom(host): a port in Host and the case do not matter", async () => {
    expect((await get(port, "/", { host: "API.Example.com:8080" })).body).toBe("api");
  });

  it("answers 503 with HAProxy's page when no route matches", async () => {
    const response = await get(port, "/", { host: "nowhere.test" });
    expect(response.status).toBe(503);
    expect(response.body).toBe(NO_SERVER_503);
  });

  it("answers 503 after the retries when the server refuses connections", async () => {
    const response = await get(port, "/", { host: "dead.example.com" });
    expect(response.status).toBe(503);
  });

  it("answers 504 when the server is silent past timeout server", async () => {
    origins[0]!.delayMs = 1000;
    try {
      const response = await get(port, "/slow", { host: "www.example.com" });
      expect(response.status).toBe(504);
    } finally {
      origins[0]!.delayMs = 0;
    }
  });

  it("appends X-Forwarded-For as the last header line, keeping the client's own", async () => {
    const api = origins[3]!;
    await get(port, "/xff", { host: "api.example.com", "x-forwarded-for": "203.0.113.9" });
    const seen = api.requests.at(-1)!.headers;
    const xff = seen.flatMap((value, i) => (i % 2 === 0 && value.toLowerCase() === "x-forwarded-for" ? [seen[i + 1]] : []));
    expect(xff).toEqual(["203.0.113.9", "127.0.0.1"]);
    expect(seen.at(-2)!.toLowerCase()).toBe("x-forwarded-for");
  });

  it("keeps a client connection alive across requests", async () => {
    const raw = await rawExchange(port, "GET /1 HTTP/1.1\r\nhost: api.example.com\r\n\r\nGET /2 HTTP/1.1\r\nhost: api.example.com\r\nconnection: close\r\n\r\n");
    expect(raw.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });

  it("answers a malformed request with 400 and closes", async () => {
    const response = parseResponse(await rawExchange(port, "GARBAGE\r\n\r\n"));
    expect(response.status).toBe(400);
  });

  it("answers oversized request headers with 431", async () => {
    const response = parseResponse(await rawExchange(port, `GET / HTTP/1.1\r\nhost: api.example.com\r\nx-big: ${"x".repeat(20_000)}\r\n\r\n`));
    expect(response.status).toBe(431);
  });

  it("answers a client that does not finish its request head within timeout http-request with 408", async () => {
    const response = parseResponse(await rawExchange(port, "GET / HTTP/1.1\r\nhost: api.exa", { waitMs: 3000 }));
    expect(response.status).toBe(408);
  });

  it("logs one httplog line per request", async () => {
    await get(port, "/logged", { host: "api.example.com" });
    await run.waitFor(() => run.stdout.some((line) => line.includes('"GET /logged HTTP/1.1"')), 2000, "the log line");
    const line = run.stdout.find((l) => l.includes('"GET /logged HTTP/1.1"'))!;
    expect(line).toMatch(/^127\.0\.0\.1:\d+ \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] www api\/api \d+\/\d+\/\d+\/\d+\/\d+ 200 \d+ - - ---- \d+\/\d+\/\d+\/\d+\/0 0\/0 "GET \/logged HTTP\/1\.1"$/);
  });

  it("serves the statistics CSV behind basic auth with HAProxy's columns", async () => {
    const denied = await get(statsPort, "/stats;csv");
    expect(denied.status).toBe(401);
    const response = await get(statsPort, "/stats;csv", { authorization: `Basic ${Buffer.from("admin:secret-password").toString("base64")}` });
    expect(response.status).toBe(200);
    const [header, ...rows] = response.body.trim().split("\n");
    expect(header!.startsWith("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,")).toBe(true);
    const columns = header!.slice(2).split(",");
    const web = rows.map((row) => row.split(",")).filter((cells) => cells[0] === "web");
    expect(web.map((cells) => cells[1])).toEqual(["a", "b", "c", "BACKEND"]);
    const stot = columns.indexOf("stot");
    expect(Number(web[0]![stot])).toBeGreaterThanOrEqual(6);
  });
});
