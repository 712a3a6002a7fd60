/**
 * Differential conformance, cookie persistence (`cookie SERVERID insert indirect nocache`): one
 * compiled spec, run under real HAProxy 2.6 and then under `halb run`, same origins, same script.
 * Compared at every step: the server that answered, the Set-Cookie and Cache-Control headers the
 * client got, and the Cookie header(s) the origin received. Steps: first visits (cookie inserted),
 * return visits with the cookie (same server, nothing inserted, cookie removed from the forwarded
 * request, other cookies kept), an unknown cookie value (rebalanced, new cookie), and a cookie
 * naming a server the health checks found DOWN (rebalanced, new cookie, then sticky to the new one).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileLab, type Lab, LOOPBACK_CLUSTER, type Origin, request, type Reply, type Results, runScenarios, type Scenario, startOrigins, until, valueOf, who } from "./lab.js";

interface Step {
  readonly label: string;
  readonly status: number;
  readonly server: string;
  /** Every Set-Cookie / Cache-Control line of the answer (names lower-cased). */
  readonly setCookie: string[];
  readonly cacheControl: string[];
  /** The Cookie lines the origin received, or null when no origin got the request. */
  readonly originCookies: string[] | null;
}

function headerLines(reply: Reply, name: string): string[] {
  return reply.headerLines.filter((line) => line.toLowerCase().startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trim());
}

describe("conformance: cookie persistence, HAProxy 2.6 vs halb run on one compiled spec", () => {
  let origins: Origin[];
  let lab: Lab;
  let results: Results;

  beforeAll(async () => {
    origins = await startOrigins("a", "b", "c");
    const [a, b, c] = origins as [Origin, Origin, Origin];
    lab = await compileLab((port) => `${LOOPBACK_CLUSTER}
global {
  maxconn 1000
}
defaults {
  mode http
  retries 0
  timeout connect 300ms client 5s server 5s
}
frontend www {
  bind 127.0.0.1:${port}
  default -> sticky
}
backend sticky {
  balance roundrobin
  cookie SERVERID insert indirect nocache
  health http GET /health every 300ms rise 2 fall 2
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}
  server c 127.0.0.1:${c.port}
}
`);
    const step = async (port: number, label: string, cookie?: string, method = "GET"): Promise<Step> => {
      const before = origins.map((origin) => origin.requests.length);
      const reply = await request(port, { method, path: `/${label}`, ...(cookie === undefined ? {} : { headers: [["Cookie", cookie]] }) });
      const index = origins.findIndex((origin, i) => origin.requests.length > before[i]!);
      const seen = index < 0 ? null : origins[index]!.requests.at(-1)!;
      const originCookies = seen ? seen.rawHeaders.flatMap((value, i) => (i % 2 === 0 && value.toLowerCase() === "cookie" ? [seen.rawHeaders[i + 1]!] : [])) : null;
      return { label, status: reply.status, server: who(reply), setCookie: headerLines(reply, "set-cookie"), cacheControl: headerLines(reply, "cache-control"), originCookies };
    };
    const cookieOf = (taken: Step): string => /^SERVERID=([^;]*)/.exec(taken.setCookie[0] ?? "")?.[1] ?? "<none>";

    const scenarios: Record<string, Scenario> = {
      sticky: async ({ port }) => {
        const steps: Step[] = [];
        const first = await step(port, "first-visit-cacheable");
        steps.push(first, await step(port, "second-visit"));
        for (let i = 1; i <= 3; i++) steps.push(await step(port, `return-${i}`, `SERVERID=${cookieOf(first)}`));
        steps.push(await step(port, "return-cacheable", `SERVERID=${cookieOf(first)}`));
        steps.push(await step(port, "head-with-cookie", `SERVERID=${cookieOf(first)}`, "HEAD"));
        steps.push(await step(port, "among-other-cookies", "theme=dark; SERVERID=b; lang=en"));
        steps.push(await step(port, "unknown-server", "SERVERID=zzz"));
        steps.push(await step(port, "empty-value", "SERVERID="));
        steps.push(await step(port, "post-no-cookie-cacheable", undefined, "POST"));
        steps.push(await step(port, "head-no-cookie-cacheable", undefined, "HEAD"));
        return steps;
      },
      down: async ({ port }) => {
        const c = origins[2]!;
        const steps: Step[] = [await step(port, "pinned-to-c", "SERVERID=c")];
        await c.kill();
        // While c is still UP for the balancer, the pinned request fails (retries 0); once DOWN it is rebalanced.
        await until(async () => (await request(port, { path: "/poll", headers: [["Cookie", "SERVERID=c"]] })).status === 200, 5000, "c to be found DOWN", 50);
        const moved = await step(port, "c-is-down-cacheable", "SERVERID=c; theme=dark");
        steps.push(moved, await step(port, "new-cookie", `SERVERID=${cookieOf(moved)}`));
        return steps;
      },
    };
    results = await runScenarios(lab, origins, scenarios);
    if (process.env["CONFORMANCE_DEBUG"]) console.log(JSON.stringify(results, null, 1));
  }, 60_000);

  afterAll(async () => {
    await Promise.all((origins ?? []).map((origin) => origin.close()));
    lab?.cleanup();
  });

  it("first visits get a cookie (and cache-control: private when cacheable); return visits stick to its server without a new one; the cookie never reaches the server", () => {
    const haproxy = valueOf<Step[]>(results, "haproxy", "sticky");
    const halb = valueOf<Step[]>(results, "halb", "sticky");
    expect(haproxy[0]).toMatchObject({ server: "a", setCookie: ["SERVERID=a; path=/"], cacheControl: ["max-age=60", "private"] });
    for (let i = 0; i < haproxy.length; i++) expect(halb[i], haproxy[i]!.label).toEqual(haproxy[i]);
    expect(halb).toHaveLength(haproxy.length);
  });

  it("a cookie naming a server the health checks found DOWN: rebalanced with a new cookie, then sticky to the new server", () => {
    const haproxy = valueOf<Step[]>(results, "haproxy", "down");
    const halb = valueOf<Step[]>(results, "halb", "down");
    expect(haproxy[1]!.server).not.toBe("c");
    expect(haproxy[1]).toMatchObject({ setCookie: [`SERVERID=${haproxy[1]!.server}; path=/`], cacheControl: ["max-age=60", "private"] });
    for (let i = 0; i < haproxy.length; i++) expect(halb[i], haproxy[i]!.label).toEqual(haproxy[i]);
  });
});
