/**
 * Differential conformance, health checks in time: one compiled spec, run under real HAProxy 2.6
 * and then under `halb run`, same origins. A server is killed (its listener closed, connections
 * cut) and later restarted on the same port; the test measures, for each balancer:
 * - leave: from the kill to the first request of the run of requests that no longer reach it;
 * - rejoin: from the restart to the first request it answers again.
 * Both must agree within one check interval (1 s).
 *
 * To compare like with like, the kill is aligned on the check phase: it happens right after the
 * balancer's check of that server completes (the origin sees the checks arrive), so with
 * `every 1s fall 2` the server should leave after two more (failed) checks, ~2 s, under both. The
 * restart follows the leave at once, i.e. just after a failed check, so rejoin (rise 2) takes about
 * two intervals as well. Two backends are measured at the same time: `rise 2 fall 2` and
 * `rise 3 fall 1`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileLab, type Lab, LOOPBACK_CLUSTER, type Origin, request, type Results, runScenarios, type Scenario, startOrigins, until, valueOf, who } from "./lab.js";

interface Timing {
  /** ms from the kill to the first request of the final run that avoided the server. */
  readonly leaveMs: number;
  /** ms from the restart to the first request the server answered. */
  readonly rejoinMs: number;
  /** What the requests got after the kill, compressed (`a×3 <503>×1 …`), for the failure message. */
  readonly trace: string;
}

const INTERVAL_MS = 1000;
/** Consecutive answers from the other server that mean the killed one is out of rotation (round robin over two). */
const RUN = 12;

function compress(picks: string[]): string {
  const out: string[] = [];
  let last = "";
  let count = 0;
  for (const pick of [...picks, ""]) {
    if (pick === last) count++;
    else {
      if (count > 0) out.push(`${last}×${count}`);
      last = pick;
      count = 1;
    }
  }
  const text = out.join(" ");
  return text.length <= 400 ? text : `${text.slice(0, 150)} … ${text.slice(-250)}`;
}

async function measure(port: number, host: string, stay: Origin, victim: Origin): Promise<Timing> {
  // The balancer's checks must have found the victim up (one check answered) before the aligned kill.
  await until(() => victim.checks.length >= 1, 5000, `a first health check of ${victim.name}`);
  await victim.nextCheck();
  await victim.kill();
  const killedAt = Date.now();
  const picks: string[] = [];
  let runStart = 0;
  let run = 0;
  while (run < RUN) {
    if (Date.now() - killedAt > 8000) throw new Error(`${victim.name} never left rotation: ${compress(picks)}`);
    const reply = await request(port, { host });
    const pick = who(reply);
    picks.push(pick);
    if (pick === stay.name) {
      if (run++ === 0) runStart = reply.sentAt;
    } else run = 0;
    await new Promise((done) => setTimeout(done, 10));
  }
  const leaveMs = runStart - killedAt;
  await victim.revive();
  const revivedAt = Date.now();
  const after: string[] = [];
  for (;;) {
    if (Date.now() - revivedAt > 8000) throw new Error(`${victim.name} never rejoined: ${compress(after)}`);
    const reply = await request(port, { host });
    after.push(who(reply));
    if (who(reply) === victim.name) return { leaveMs, rejoinMs: reply.sentAt - revivedAt, trace: `${compress(picks)} | revived | ${compress(after)}` };
    await new Promise((done) => setTimeout(done, 10));
  }
}

describe("conformance: time to leave and rejoin rotation, HAProxy 2.6 vs halb run on one compiled spec", () => {
  let origins: Origin[];
  let lab: Lab;
  let results: Results;

  beforeAll(async () => {
    origins = await startOrigins("a", "b", "c", "d");
    const [a, b, c, d] = origins as [Origin, Origin, Origin, Origin];
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
  route host r2f2.test -> r2f2
  route host r3f1.test -> r3f1
}
backend r2f2 {
  balance roundrobin
  health http GET /health every 1s rise 2 fall 2
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}
}
backend r3f1 {
  balance roundrobin
  health http GET /health every 1s rise 3 fall 1
  server c 127.0.0.1:${c.port}
  server d 127.0.0.1:${d.port}
}
`);
    const scenarios: Record<string, Scenario> = {
      both: async ({ port }) => {
        const [r2f2, r3f1] = await Promise.all([measure(port, "r2f2.test", a, b), measure(port, "r3f1.test", c, d)]);
        return { r2f2, r3f1 };
      },
    };
    results = await runScenarios(lab, origins, scenarios);
    if (process.env["CONFORMANCE_DEBUG"]) console.log(JSON.stringify(results, null, 1));
  }, 60_000);

  afterAll(async () => {
    await Promise.all((origins ?? []).map((origin) => origin.close()));
    lab?.cleanup();
  });

  const compare = (backend: "r2f2" | "r3f1"): { haproxy: Timing; halb: Timing } => ({
    haproxy: valueOf<Record<string, Timing>>(results, "haproxy", "both")[backend]!,
    halb: valueOf<Record<string, Timing>>(results, "halb", "both")[backend]!,
  });
  const agree = (backend: "r2f2" | "r3f1", what: "leaveMs" | "rejoinMs", expected: [number, number]): void => {
    const { haproxy, halb } = compare(backend);
    const message = `HAProxy ${haproxy[what]} ms (${haproxy.trace}); halb run ${halb[what]} ms (${halb.trace})`;
    // HAProxy itself within its expected window (else the scenario measured something else).
    expect(haproxy[what], message).toBeGreaterThanOrEqual(expected[0]);
    expect(haproxy[what], message).toBeLessThanOrEqual(expected[1]);
    expect(Math.abs(halb[what] - haproxy[what]), message).toBeLessThanOrEqual(INTERVAL_MS);
  };

  it("every 1s fall 2: a killed server leaves rotation as fast under both (HAProxy ~2 s)", () => agree("r2f2", "leaveMs", [1500, 2600]));

  it("every 1s rise 2: a restarted server rejoins as fast under both (HAProxy ~2 s)", () => agree("r2f2", "rejoinMs", [1500, 2600]));

  it("every 1s fall 1: a killed server leaves rotation as fast under both (HAProxy ~1 s)", () => agree("r3f1", "leaveMs", [500, 1600]));

  it("every 1s rise 3: a restarted server rejoins as fast under both (HAProxy ~3 s)", () => agree("r3f1", "rejoinMs", [2500, 3600]));
});
