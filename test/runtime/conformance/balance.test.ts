/**
 * Differential conformance, server choice: one compiled spec with a backend per scenario, run
 * under real HAProxy 2.6 and then under `halb run`, same origins, same request scripts. Compared:
 * the sequence of servers that answered, for every balance algorithm (random statistically: its
 * numbers are halb's own, a documented deviation), weights (including 0), maxconn (a saturated
 * server skipped by roundrobin; queued requests handed to the server that frees up, oldest first,
 * the queue read from the statistics CSV both serve), and backup servers (first backup only;
 * `option allbackups`; backups unused while an active server is up; backups taking over from
 * active servers that health checks find DOWN).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileLab, deadPort, freePort, HeldRequests, LOOPBACK_CLUSTER, type Lab, type Origin, request, type Results, runScenarios, type Scenario, startOrigins, until, valueOf, who } from "./lab.js";

const ALGORITHMS = ["rr", "srr", "w0", "lc", "lcw", "src", "srcw", "uri", "first", "rnd", "bk1", "bkall", "bkidle", "bkchk", "rrsat", "queue"] as const;

describe("conformance: server choice, HAProxy 2.6 vs halb run on one compiled spec", () => {
  const pools: Record<string, Origin[]> = {};
  let all: Origin[] = [];
  let lab: Lab;
  let results: Results;
  let queued: (backend: string) => Promise<number>;

  const get = (port: number, host: string, options: Parameters<typeof request>[1] = {}) => request(port, { ...options, host: `${host}.test` });
  const sequence = async (port: number, host: string, count: number): Promise<string[]> => {
    const order: string[] = [];
    for (let i = 0; i < count; i++) order.push(who(await get(port, host)));
    return order;
  };

  beforeAll(async () => {
    const names: Record<(typeof ALGORITHMS)[number], string[]> = {
      rr: ["a", "b", "c"],
      srr: ["a", "b", "c"],
      w0: ["a", "b", "z"],
      lc: ["a", "b", "c"],
      lcw: ["a", "b"],
      src: ["a", "b", "c"],
      srcw: ["a", "b", "c"],
      uri: ["srv1", "srv2", "srv3", "srv4"],
      first: ["a", "b", "c"],
      rnd: ["a", "b"],
      bk1: ["a", "b", "x", "y"],
      bkall: ["a", "b", "x", "y"],
      bkidle: ["a", "b", "x"],
      bkchk: ["x", "y"],
      rrsat: ["a", "b", "c"],
      queue: ["a", "b"],
    };
    for (const [pool, servers] of Object.entries(names)) pools[pool] = await startOrigins(...servers.map((server) => `${pool}-${server}`));
    all = Object.values(pools).flat();
    const p = (pool: string, index: number): number => pools[pool]![index]!.port;
    const dead1 = await deadPort();
    const dead2 = await deadPort();
    const statsPort = await freePort();
    /** Requests waiting in the backend's queues, from the statistics CSV (the same page under both). */
    queued = async (backend: string): Promise<number> => {
      const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
      const [header, ...rows] = csv.trim().split("\n");
      const qcur = header!.slice(2).split(",").indexOf("qcur");
      // The BACKEND row counts the backend's queue, each server row its own.
      return rows.map((row) => row.split(",")).filter((cells) => cells[0] === backend).reduce((sum, cells) => sum + Number(cells[qcur] || 0), 0);
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
  retries 0
  timeout connect 1s client 5s server 5s queue 5s
}
frontend www {
  bind 127.0.0.1:${port}
${ALGORITHMS.map((name) => `  route host ${name}.test -> ${name}`).join("\n")}
}
backend rr {
  balance roundrobin
  server a 127.0.0.1:${p("rr", 0)} weight 6
  server b 127.0.0.1:${p("rr", 1)} weight 3
  server c 127.0.0.1:${p("rr", 2)} weight 1
}
backend srr {
  balance static-rr
  server a 127.0.0.1:${p("srr", 0)} weight 6
  server b 127.0.0.1:${p("srr", 1)} weight 3
  server c 127.0.0.1:${p("srr", 2)} weight 1
}
backend w0 {
  balance roundrobin
  server a 127.0.0.1:${p("w0", 0)} weight 2
  server b 127.0.0.1:${p("w0", 1)} weight 1
  server z 127.0.0.1:${p("w0", 2)} weight 0
}
backend lc {
  balance leastconn
  server a 127.0.0.1:${p("lc", 0)}
  server b 127.0.0.1:${p("lc", 1)}
  server c 127.0.0.1:${p("lc", 2)}
}
backend lcw {
  balance leastconn
  server a 127.0.0.1:${p("lcw", 0)} weight 3
  server b 127.0.0.1:${p("lcw", 1)} weight 1
}
backend src {
  balance source
  server a 127.0.0.1:${p("src", 0)}
  server b 127.0.0.1:${p("src", 1)}
  server c 127.0.0.1:${p("src", 2)}
}
backend srcw {
  balance source
  server a 127.0.0.1:${p("srcw", 0)} weight 6
  server b 127.0.0.1:${p("srcw", 1)} weight 3
  server c 127.0.0.1:${p("srcw", 2)} weight 1
}
backend uri {
  balance uri
  server srv1 127.0.0.1:${p("uri", 0)}
  server srv2 127.0.0.1:${p("uri", 1)}
  server srv3 127.0.0.1:${p("uri", 2)}
  server srv4 127.0.0.1:${p("uri", 3)}
}
backend first {
  balance first
  server a 127.0.0.1:${p("first", 0)} maxconn 2
  server b 127.0.0.1:${p("first", 1)} maxconn 2
  server c 127.0.0.1:${p("first", 2)} maxconn 2
}
backend rnd {
  balance random
  server a 127.0.0.1:${p("rnd", 0)} weight 3
  server b 127.0.0.1:${p("rnd", 1)} weight 1
}
backend bk1 {
  balance roundrobin
  server a 127.0.0.1:${p("bk1", 0)} disabled
  server b 127.0.0.1:${p("bk1", 1)} disabled
  server x 127.0.0.1:${p("bk1", 2)} backup
  server y 127.0.0.1:${p("bk1", 3)} backup
}
backend bkall {
  balance roundrobin
  option allbackups
  server a 127.0.0.1:${p("bkall", 0)} disabled
  server b 127.0.0.1:${p("bkall", 1)} disabled
  server x 127.0.0.1:${p("bkall", 2)} backup weight 2
  server y 127.0.0.1:${p("bkall", 3)} backup
}
backend bkidle {
  balance roundrobin
  server a 127.0.0.1:${p("bkidle", 0)}
  server b 127.0.0.1:${p("bkidle", 1)} disabled
  server x 127.0.0.1:${p("bkidle", 2)} backup
}
backend rrsat {
  balance roundrobin
  server a 127.0.0.1:${p("rrsat", 0)} maxconn 1
  server b 127.0.0.1:${p("rrsat", 1)}
  server c 127.0.0.1:${p("rrsat", 2)}
}
backend queue {
  balance roundrobin
  server a 127.0.0.1:${p("queue", 0)} maxconn 1
  server b 127.0.0.1:${p("queue", 1)} maxconn 1
}
backend bkchk {
  balance roundrobin
  health http GET /health every 500ms rise 2 fall 2
  server a 127.0.0.1:${dead1}
  server b 127.0.0.1:${dead2}
  server x 127.0.0.1:${p("bkchk", 0)} backup
  server y 127.0.0.1:${p("bkchk", 1)} backup
}
`);

    const scenarios: Record<string, Scenario> = {
      rr: ({ port }) => sequence(port, "rr", 20),
      srr: ({ port }) => sequence(port, "srr", 20),
      w0: ({ port }) => sequence(port, "w0", 9),
      // leastconn: requests held open build up load; each step records the server that got the request.
      lc: async ({ port }) => {
        const [a, b, c] = pools["lc"]!;
        const held = new HeldRequests(port, pools["lc"]!, { host: "lc.test" });
        const steps: string[] = [];
        const hold = async () => steps.push(`hold→${await held.hold()}`);
        const quick = async () => steps.push(`get→${who(await get(port, "lc"))}`);
        const release = async (origin: Origin) => {
          await held.release(origin);
          steps.push(`release ${origin.name}`);
        };
        for (let i = 0; i < 3; i++) await quick(); // idle servers: rotation
        await hold(); await hold(); await hold(); await hold();
        await quick();
        await release(b!);
        await quick(); await quick();
        await hold(); await hold(); await hold();
        await release(a!); await release(a!);
        await quick(); await hold(); await hold();
        await release(c!);
        await quick(); await quick(); await quick();
        await held.releaseAll();
        return steps;
      },
      lcw: async ({ port }) => {
        const held = new HeldRequests(port, pools["lcw"]!, { host: "lcw.test" });
        const steps: string[] = [];
        for (let n = 1; n <= 6; n++) steps.push(await held.hold());
        await held.releaseAll();
        return steps;
      },
      src: async ({ port }) => {
        const chosen: string[] = [];
        for (let host = 2; host <= 13; host++) for (let i = 0; i < 2; i++) chosen.push(`127.0.0.${host}→${who(await get(port, "src", { localAddress: `127.0.0.${host}` }))}`);
        return chosen;
      },
      srcw: async ({ port }) => {
        const chosen: string[] = [];
        for (let host = 2; host <= 21; host++) chosen.push(`127.0.0.${host}→${who(await get(port, "srcw", { localAddress: `127.0.0.${host}` }))}`);
        return chosen;
      },
      uri: async ({ port }) => {
        const paths = ["/url1", "/url1?ignore=this-arg", "/url2", "/url3", "/url4", "/", "/a/b/c", "/index.html?x=1&y=2", "/%7Euser/", "/static/js/app.min.js", "/API/v2/items/42"];
        const chosen: string[] = [];
        for (const path of paths) chosen.push(`${path}→${who(await get(port, "uri", { path }))}`);
        return chosen;
      },
      first: async ({ port }) => {
        const [a, b] = pools["first"]!;
        const held = new HeldRequests(port, pools["first"]!, { host: "first.test" });
        const steps: string[] = [];
        const hold = async () => steps.push(`hold→${await held.hold()}`);
        steps.push(`get→${who(await get(port, "first"))}`);
        steps.push(`get→${who(await get(port, "first"))}`);
        for (let n = 1; n <= 5; n++) await hold();
        await held.release(a!);
        steps.push("release a");
        steps.push(`get→${who(await get(port, "first"))}`);
        await hold();
        await held.release(b!);
        await held.release(b!);
        steps.push("release b b");
        await hold(); await hold();
        await held.releaseAll();
        return steps;
      },
      rnd: async ({ port }) => {
        const counts: Record<string, number> = {};
        for (let i = 0; i < 300; i++) {
          const name = who(await get(port, "rnd"));
          counts[name] = (counts[name] ?? 0) + 1;
        }
        return counts;
      },
      // roundrobin skips a server at its maxconn and takes it back when it frees up.
      rrsat: async ({ port }) => {
        const [a] = pools["rrsat"]!;
        const held = new HeldRequests(port, pools["rrsat"]!, { host: "rrsat.test" });
        const steps = [`hold→${await held.hold()}`, ...(await sequence(port, "rrsat", 6))];
        await held.release(a!);
        steps.push("release a", ...(await sequence(port, "rrsat", 7)));
        steps.push(`hold→${await held.hold()}`, ...(await sequence(port, "rrsat", 4)));
        await held.releaseAll();
        return steps;
      },
      // Both servers at maxconn 1: later requests wait in the queue and go, oldest first, to whichever server frees up.
      queue: async ({ port }) => {
        const [a, b] = pools["queue"]!;
        const held = new HeldRequests(port, pools["queue"]!, { host: "queue.test" });
        const steps = [`hold→${await held.hold()}`, `hold→${await held.hold()}`];
        const third = held.send();
        await until(async () => (await queued("queue")) === 1, 3000, "the third request to be queued");
        const fourth = held.send();
        await until(async () => (await queued("queue")) === 2, 3000, "the fourth request to be queued");
        await held.release(b!);
        steps.push(`release b: ${third.path}→${await third.arrived}`);
        await held.release(a!);
        steps.push(`release a: ${fourth.path}→${await fourth.arrived}`);
        steps.push(`queued after: ${await queued("queue")}`);
        await held.releaseAll();
        return steps;
      },
      bk1: ({ port }) => sequence(port, "bk1", 6),
      bkall: ({ port }) => sequence(port, "bkall", 6),
      bkidle: ({ port }) => sequence(port, "bkidle", 6),
      // Active servers on dead ports with health checks: once the checks find them DOWN, the first backup serves.
      bkchk: async ({ port }) => {
        await until(async () => (await get(port, "bkchk")).status === 200, 5000, "the backup to take over", 50);
        return sequence(port, "bkchk", 6);
      },
    };
    results = await runScenarios(lab, all, scenarios);
    if (process.env["CONFORMANCE_DEBUG"]) console.log(JSON.stringify(results, null, 1));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(all.map((origin) => origin.close()));
    lab?.cleanup();
  });

  const compare = (name: string): { haproxy: unknown; halb: unknown } => ({ haproxy: valueOf(results, "haproxy", name), halb: valueOf(results, "halb", name) });
  const short = (order: unknown): string => (order as string[]).map((name) => name.split("-").pop()!.toUpperCase()).join(" ");

  it("roundrobin, weights 6,3,1: the same 20 picks (HAProxy: A A B A C A B A A B, twice)", () => {
    const { haproxy, halb } = compare("rr");
    expect(short(haproxy)).toBe("A A B A C A B A A B A A B A C A B A A B");
    expect(halb).toEqual(haproxy);
  });

  it("static-rr, weights 6,3,1: the same 20 picks (HAProxy: A A B A A B A B A C, twice)", () => {
    const { haproxy, halb } = compare("srr");
    expect(short(haproxy)).toBe("A A B A A B A B A C A A B A A B A B A C");
    expect(halb).toEqual(haproxy);
  });

  it("roundrobin with a weight-0 server: the same picks, never the weight-0 server", () => {
    const { haproxy, halb } = compare("w0");
    expect(short(haproxy)).not.toContain("Z");
    expect(halb).toEqual(haproxy);
  });

  it("leastconn with requests held open: the same server at every step", () => {
    const { haproxy, halb } = compare("lc");
    expect(halb).toEqual(haproxy);
  });

  it("leastconn, weights 3,1, six requests held open: the same servers", () => {
    const { haproxy, halb } = compare("lcw");
    expect(halb).toEqual(haproxy);
  });

  it("source, three equal servers: the same server for each of 12 client addresses (and stable per address)", () => {
    const { haproxy, halb } = compare("src");
    expect(new Set((haproxy as string[]).map((pick) => pick.split("→")[1])).size).toBe(3);
    expect(halb).toEqual(haproxy);
  });

  it("source, weights 6,3,1: the same server for each of 20 client addresses", () => {
    const { haproxy, halb } = compare("srcw");
    expect(halb).toEqual(haproxy);
  });

  it("uri, four servers: the same server for each path (HAProxy's regtest vectors included)", () => {
    const { haproxy, halb } = compare("uri");
    expect((haproxy as string[]).slice(0, 5).map((pick) => pick.split("→uri-")[1])).toEqual(["srv2", "srv2", "srv3", "srv4", "srv1"]);
    expect(halb).toEqual(haproxy);
  });

  it("first with maxconn 2: the same server at every step as servers fill and free up", () => {
    const { haproxy, halb } = compare("first");
    expect(halb).toEqual(haproxy);
  });

  it("random, weights 3,1 (statistically: the sequences cannot match): both give the heavy server 58-92% of 300 picks", () => {
    // HAProxy's random numbers are its own; halb's come from Math.random (docs/runtime.md). Compare the
    // distributions. The bounds are about 5 standard deviations from the ring's share (~72%), so the
    // test fails for a wrong distribution, not for an unlucky run.
    const { haproxy, halb } = compare("rnd") as { haproxy: Record<string, number>; halb: Record<string, number> };
    for (const counts of [haproxy, halb]) {
      expect(Object.keys(counts).sort()).toEqual(["rnd-a", "rnd-b"]);
      expect(counts["rnd-a"]! / 300).toBeGreaterThan(0.58);
      expect(counts["rnd-a"]! / 300).toBeLessThan(0.92);
    }
  });

  it("roundrobin with one server at its maxconn: the same picks while it is skipped and after it frees up", () => {
    const { haproxy, halb } = compare("rrsat");
    expect(halb).toEqual(haproxy);
  });

  it("every server at maxconn 1: queued requests go to the freed server, oldest first, under both", () => {
    const { haproxy, halb } = compare("queue");
    expect(halb).toEqual(haproxy);
  });

  it("all active servers disabled: only the first backup serves", () => {
    const { haproxy, halb } = compare("bk1");
    expect(short(haproxy)).toBe("X X X X X X");
    expect(halb).toEqual(haproxy);
  });

  it("all active servers disabled with option allbackups: the backups share by weight", () => {
    const { haproxy, halb } = compare("bkall");
    expect(new Set(haproxy as string[]).size).toBe(2);
    expect(halb).toEqual(haproxy);
  });

  it("one active server still up: the backup is not used", () => {
    const { haproxy, halb } = compare("bkidle");
    expect(short(haproxy)).toBe("A A A A A A");
    expect(halb).toEqual(haproxy);
  });

  it("active servers found DOWN by health checks: the first backup takes over", () => {
    const { haproxy, halb } = compare("bkchk");
    expect(short(haproxy)).toBe("X X X X X X");
    expect(halb).toEqual(haproxy);
  });
});
