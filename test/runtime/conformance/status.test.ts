/**
 * Differential conformance, answers the balancer makes itself: one compiled spec, run under real
 * HAProxy 2.6 and then under `halb run`, same origins. For each failure (no route, no server up (disabled, or DOWN by health checks),
 * connection refused after the retries, `timeout server`, a server answering garbage or closing,
 * `timeout queue` behind maxconn 1, redispatch to another server, bad requests) the test compares
 * the whole answer the client got, byte for byte (status line, headers, body), and, where a timer
 * decides the outcome, how long it took (within 250 ms).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileLab, deadPort, freePort, HeldRequests, type Lab, LOOPBACK_CLUSTER, type Origin, type Reply, request, type Results, runScenarios, type Scenario, startOrigins, until, valueOf, who } from "./lab.js";

interface Answer {
  readonly status: number;
  readonly raw: string;
  readonly elapsedMs: number;
}

const answer = (reply: Reply): Answer => ({ status: reply.status, raw: reply.raw, elapsedMs: reply.elapsedMs });
/** An answer relayed from an origin: its Date header differs from run to run. */
const relayed = (reply: Reply): Answer => ({ ...answer(reply), raw: reply.raw.replace(/^date: .*$/im, "date: <date>") });

describe("conformance: status codes and error answers, HAProxy 2.6 vs halb run on one compiled spec", () => {
  let origins: { slow: Origin; garbage: Origin; closing: Origin; queued: Origin; redispB: Origin };
  let lab: Lab;
  let results: Results;

  beforeAll(async () => {
    const [slow, garbage, closing, queued, redispB] = await startOrigins("slow", "garbage", "closing", "queued", "redisp-b");
    origins = { slow: slow!, garbage: garbage!, closing: closing!, queued: queued!, redispB: redispB! };
    const dead = await deadPort();
    const statsPort = await freePort();
    /** A server's status column in the statistics CSV (the same page under both). */
    const serverStatus = async (backend: string, server: string): Promise<string> => {
      const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
      const [header, ...rows] = csv.trim().split("\n");
      const status = header!.slice(2).split(",").indexOf("status");
      return rows.map((row) => row.split(",")).find((cells) => cells[0] === backend && cells[1] === server)?.[status] ?? "?";
    };
    lab = await compileLab((port) => `${LOOPBACK_CLUSTER}
global {
  maxconn 1000
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
}
defaults {
  mode http
  retries 2
  timeout connect 300ms client 5s server 5s
}
frontend www {
  bind 127.0.0.1:${port}
  route host maint.test -> maint
  route host refused.test -> refused
  route host down.test -> down
  route host slow.test -> slow
  route host garbage.test -> garbage
  route host closing.test -> closing
  route host queued.test -> queued
  route host redisp.test -> redisp
}
backend maint {
  server a 127.0.0.1:${origins.slow.port} disabled
  server b 127.0.0.1:${origins.garbage.port} disabled
}
backend refused {
  server gone 127.0.0.1:${dead}
}
backend down {
  health http GET /health every 300ms rise 2 fall 2
  server gone 127.0.0.1:${dead}
}
backend slow {
  timeout server 400ms
  server slow 127.0.0.1:${origins.slow.port}
}
backend garbage {
  server garbage 127.0.0.1:${origins.garbage.port}
}
backend closing {
  server closing 127.0.0.1:${origins.closing.port}
}
backend queued {
  timeout queue 400ms
  server queued 127.0.0.1:${origins.queued.port} maxconn 1
}
backend redisp {
  balance roundrobin
  retries 1
  option redispatch
  server a 127.0.0.1:${dead}
  server b 127.0.0.1:${origins.redispB.port}
}
`);
    const scenarios: Record<string, Scenario> = {
      noRoute: async ({ port }) => answer(await request(port, { host: "nowhere.test" })),
      noServer: async ({ port }) => answer(await request(port, { host: "maint.test" })),
      refused: async ({ port }) => answer(await request(port, { host: "refused.test" })),
      allDown: async ({ port }) => {
        await until(async () => (await serverStatus("down", "gone")) === "DOWN", 5000, "the health checks to find the server DOWN");
        return answer(await request(port, { host: "down.test" }));
      },
      serverTimeout: async ({ port }) => {
        origins.slow.delayMs = 2000;
        return answer(await request(port, { host: "slow.test" }));
      },
      serverInTime: async ({ port }) => {
        origins.slow.delayMs = 100;
        return relayed(await request(port, { host: "slow.test" }));
      },
      relayedKeepAlive: async ({ port }) => {
        origins.slow.delayMs = 0;
        return relayed(await request(port, { host: "slow.test", keepAlive: true }));
      },
      garbage: async ({ port }) => {
        origins.garbage.behaviour = "garbage";
        return answer(await request(port, { host: "garbage.test" }));
      },
      closing: async ({ port }) => {
        origins.closing.behaviour = "close";
        return answer(await request(port, { host: "closing.test" }));
      },
      queueTimeout: async ({ port }) => {
        const held = new HeldRequests(port, [origins.queued], { host: "queued.test" });
        await held.hold();
        const second = answer(await request(port, { host: "queued.test", path: "/second" }));
        const first = await held.release(origins.queued);
        return { second, first: { status: first.status, body: first.body } };
      },
      redispatch: async ({ port }) => {
        const picks: string[] = [];
        for (let i = 0; i < 4; i++) {
          const reply = await request(port, { host: "redisp.test" });
          picks.push(`${reply.status} ${who(reply)}`);
        }
        return picks;
      },
      badRequest: async ({ port }) => answer(await request(port, { host: "slow.test", path: "/a b" })),
      fragment: async ({ port }) => answer(await request(port, { host: "slow.test", path: "/url1#frag" })),
    };
    results = await runScenarios(lab, Object.values(origins), scenarios);
    if (process.env["CONFORMANCE_DEBUG"]) console.log(JSON.stringify(results, null, 1));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(origins ?? {}).map((origin) => origin.close()));
    lab?.cleanup();
  });

  const compare = <T,>(name: string): { haproxy: T; halb: T } => ({ haproxy: valueOf<T>(results, "haproxy", name), halb: valueOf<T>(results, "halb", name) });
  const sameAnswer = (name: string, status: number, timed = false): void => {
    const { haproxy, halb } = compare<Answer>(name);
    expect(haproxy.status).toBe(status);
    expect(halb.raw).toBe(haproxy.raw);
    if (timed) expect(Math.abs(halb.elapsedMs - haproxy.elapsedMs), `HAProxy took ${haproxy.elapsedMs} ms, halb run ${halb.elapsedMs} ms`).toBeLessThan(250);
  };

  it("no route matches (no default backend): the same 503", () => sameAnswer("noRoute", 503));

  it("every server of the backend is down (disabled): the same 503", () => sameAnswer("noServer", 503));

  it("the only server found DOWN by health checks: the same 503, at once (no connection attempt)", () => {
    sameAnswer("allDown", 503, true);
    expect(valueOf<Answer>(results, "haproxy", "allDown").elapsedMs).toBeLessThan(200);
  });

  it("connection refused on every attempt (retries 2, timeout connect 300ms): the same 503, after as long", () => sameAnswer("refused", 503, true));

  it("server silent past timeout server 400ms: the same 504, after as long", () => sameAnswer("serverTimeout", 504, true));

  it("server answering within timeout server: the same relayed answer", () => sameAnswer("serverInTime", 200));

  it("server answering, client keeping its connection alive: the same relayed answer", () => sameAnswer("relayedKeepAlive", 200));

  it("server answering garbage: the same 502", () => sameAnswer("garbage", 502));

  it("server closing without an answer: the same 502", () => sameAnswer("closing", 502));

  it("timeout queue 400ms behind a maxconn 1 server: the same 503 after as long, and the request being served still gets its answer", () => {
    const { haproxy, halb } = compare<{ second: Answer; first: { status: number; body: string } }>("queueTimeout");
    expect(haproxy.second.status).toBe(503);
    expect(halb.second.raw).toBe(haproxy.second.raw);
    expect(Math.abs(halb.second.elapsedMs - haproxy.second.elapsedMs), `HAProxy took ${haproxy.second.elapsedMs} ms, halb run ${halb.second.elapsedMs} ms`).toBeLessThan(250);
    // The relayed answer's head is compared in "server answering within timeout server"; here its status and body.
    expect(haproxy.first).toEqual({ status: 200, body: "queued" });
    expect(halb.first).toEqual(haproxy.first);
  });

  it("option redispatch with a dead server: the same statuses and servers for four requests", () => {
    const { haproxy, halb } = compare<string[]>("redispatch");
    expect(haproxy.every((pick) => pick === "200 redisp-b")).toBe(true);
    expect(halb).toEqual(haproxy);
  });

  it("a request line with a space in the URI: the same 400", () => sameAnswer("badRequest", 400));

  it("a request URI with a #fragment: the same answer (HAProxy 2.6.12 rejects it with 400)", () => sameAnswer("fragment", 400));
});
