/**
 * The health checker against the real HAProxy 2.6: one spec compiled by halb, its haproxy.cfg run
 * by HAProxy and its IR by the scheduler, both checking the same local servers while the test
 * breaks and repairs them, each time just after both checkers have checked it (so that neither
 * sees the change a whole interval before the other by mere phase: both spread their first checks
 * alike from nearly the same start). HAProxy's view is read from its stats CSV every 10 ms. Every server
 * must go through the same states, each change within one check interval of HAProxy's, and the
 * state change lines must be HAProxy's, word for word (check durations aside).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthTargetsFromIr } from "../../../src/runtime/health/targets.js";
import { type HealthLogLine, stateChangeLines } from "../../../src/runtime/health/messages.js";
import { HealthScheduler } from "../../../src/runtime/health/scheduler.js";
import { compileText } from "../../helpers/compile-case.js";
import { freePorts, httpGet, RunningHaproxy } from "./haproxy-process.js";
import { HealthServer } from "./net-fixtures.js";

const INTER = 200;

function spec(statsPort: number, ports: Record<string, number>): string {
  return `
cluster t {
  interface lo
  vip 127.0.0.200/32
  vrid 51
  node a 127.0.0.1 master
  node b 127.0.0.2 backup
}
defaults {
  mode http
  timeout connect 1s client 5s server 5s
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
}
backend be {
  log stdout local0
  health http GET /health every ${INTER}ms rise 2 fall 2
  server s1 127.0.0.1:${ports["s1"]}
  server s2 127.0.0.1:${ports["s2"]}
  server s3 127.0.0.1:${ports["s3"]} check off
  server s4 127.0.0.1:${ports["s4"]}
}
backend tb {
  log stdout local0
  health tcp every ${INTER}ms rise 2 fall 2
  server t1 127.0.0.1:${ports["t1"]}
}
`;
}

type Seen = "UP" | "DOWN" | "MAINT";
interface Transition {
  readonly to: Seen;
  /** ms since both checkers started. */
  readonly at: number;
}

/** HAProxy's stats `status` reduced to what decides traffic: `UP 1/2` and `no check` are UP, `DOWN 1/2` DOWN. */
function seen(status: string): Seen {
  if (status.startsWith("UP") || status === "no check") return "UP";
  if (status.startsWith("DOWN")) return "DOWN";
  if (status === "MAINT") return "MAINT";
  throw new Error(`unexpected stats status ${status}`);
}

/** HAProxy's syslog priority for local0 and a severity. */
const PRIORITY = { emerg: 128, alert: 129, notice: 133 } as const;

const withoutDuration = (text: string) => text.replace(/check duration: \d+ms/, "check duration: Nms");

const web: Record<string, HealthServer> = {};
let haproxy: RunningHaproxy;
let scheduler: HealthScheduler;
const haproxyTransitions = new Map<string, Transition[]>();
const ourTransitions = new Map<string, Transition[]>();
const ourLines: HealthLogLine[] = [];
const ourChecks: { server: string; at: number }[] = [];
/** Date.now() when both checkers started; every time below is counted from it. */
let startedAt = 0;
let stopPolling = false;
const at = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + ms - Date.now())));

beforeAll(async () => {
  for (const name of ["s1", "s2", "s3", "s4", "t1"]) web[name] = await HealthServer.start(name);
  web["s4"]!.status = 500;
  const [statsPort] = (await freePorts(1)) as [number];
  const ports = Object.fromEntries(Object.entries(web).map(([name, server]) => [name, server.port]));
  const compiled = compileText("differential.hal", spec(statsPort, ports), {});
  if (!compiled.ir) throw new Error(compiled.report);
  const cfg = compiled.files.find((file) => file.path === "a/haproxy.cfg")!.contents;
  expect(cfg).toContain("http-check send meth GET uri /health");
  expect(cfg).toMatch(/server s1 127\.0\.0\.1:\d+ check inter 200ms rise 2 fall 2/);

  scheduler = new HealthScheduler(healthTargetsFromIr(compiled.ir, {}), {
    onCheck: (server) => ourChecks.push({ server: server.server, at: Date.now() }),
    onStateChange: (server, _from, to, _reason, details) => {
      record(ourTransitions, server.server, to);
      ourLines.push(...stateChangeLines(server, to, details));
    },
  });
  haproxy = await RunningHaproxy.start(cfg, statsPort);
  scheduler.start();
  startedAt = Date.now();

  const polling = pollStats(statsPort);
  await at(1000);
  await Promise.all([
    afterBothCheckers(web["s1"]!).then(() => void (web["s1"]!.status = 500)),
    afterOurCheck("t1").then(() => web["t1"]!.stop()),
  ]);
  await at(2200);
  await Promise.all([
    afterBothCheckers(web["s1"]!).then(() => void (web["s1"]!.status = 200)),
    afterOurCheck("t1").then(() => web["t1"]!.restart()),
  ]);
  await at(3400);
  stopPolling = true;
  await polling;
}, 20_000);

afterAll(async () => {
  await scheduler?.stop();
  await haproxy?.stop();
  await Promise.all(Object.values(web).map((server) => server.stop()));
});

/**
 * Resolves 5 ms after the second of two checks (one per checker) that came close together, so a
 * change made then reaches both checkers' next checks alike.
 */
async function afterBothCheckers(server: HealthServer): Promise<void> {
  const from = server.connections.length;
  const deadline = Date.now() + 3 * INTER;
  for (;;) {
    const hits = server.connections.slice(from);
    const [previous, last] = [hits.at(-2), hits.at(-1)];
    const paired = previous !== undefined && last !== undefined && last - previous < INTER / 2;
    if ((paired && Date.now() - last >= 5) || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * HAProxy's TCP checks never reach the server's accept() (it resets after the SYN-ACK), so its
 * phase cannot be seen there: wait half an interval after our own check, which HAProxy's is
 * within a few tens of milliseconds of.
 */
async function afterOurCheck(server: string): Promise<void> {
  const from = ourChecks.length;
  while (!ourChecks.slice(from).some((check) => check.server === server)) await new Promise((resolve) => setTimeout(resolve, 2));
  await new Promise((resolve) => setTimeout(resolve, INTER / 2));
}

function record(transitions: Map<string, Transition[]>, server: string, to: Seen): void {
  const list = transitions.get(server) ?? [];
  transitions.set(server, [...list, { to, at: Date.now() - startedAt }]);
}

async function pollStats(port: number): Promise<void> {
  const last = new Map<string, Seen>();
  while (!stopPolling) {
    const csv = await httpGet(port, "/stats;csv");
    for (const line of csv.split("\n")) {
      const fields = line.split(",");
      const [proxy, server, status] = [fields[0], fields[1], fields[17]];
      if ((proxy !== "be" && proxy !== "tb") || !server || server === "FRONTEND" || server === "BACKEND" || !status) continue;
      const now = seen(status);
      if (!last.has(server)) last.set(server, now);
      else if (last.get(server) !== now) {
        last.set(server, now);
        record(haproxyTransitions, server, now);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("health checks against HAProxy 2.6", () => {
  it("go through the same states, each change within one check interval of HAProxy's", () => {
    const summary = ["s1", "s2", "s3", "s4", "t1"].map((server) => ({
      server,
      haproxy: (haproxyTransitions.get(server) ?? []).map((t) => `${t.to}@${t.at}`).join(" "),
      halb: (ourTransitions.get(server) ?? []).map((t) => `${t.to}@${t.at}`).join(" "),
    }));
    const table = summary.map((row) => `${row.server}: haproxy ${row.haproxy || "-"} | halb ${row.halb || "-"}`).join("\n");

    expect(haproxyTransitions.get("s4")?.map((t) => t.to), table).toEqual(["DOWN"]);
    expect(haproxyTransitions.get("s1")?.map((t) => t.to), table).toEqual(["DOWN", "UP"]);
    expect(haproxyTransitions.get("t1")?.map((t) => t.to), table).toEqual(["DOWN", "UP"]);
    expect(haproxyTransitions.get("s2"), table).toBeUndefined();
    expect(haproxyTransitions.get("s3"), table).toBeUndefined();
    for (const server of ["s1", "s2", "s3", "s4", "t1"]) {
      const theirs = haproxyTransitions.get(server) ?? [];
      const ours = ourTransitions.get(server) ?? [];
      expect(ours.map((t) => t.to), `${server}\n${table}`).toEqual(theirs.map((t) => t.to));
      ours.forEach((transition, i) => expect(Math.abs(transition.at - theirs[i]!.at), `${server} ${transition.to}\n${table}`).toBeLessThanOrEqual(INTER));
    }
  });

  it("log the changes in HAProxy's words", () => {
    const isHealthLine = (text: string) => text.startsWith("Server ") || text.endsWith("has no server available!");
    const theirs = haproxy.syslog.filter((line) => isHealthLine(line.message)).map((line) => `${line.priority} ${withoutDuration(line.message)}`);
    const ours = ourLines.map((line) => `${PRIORITY[line.severity]} ${withoutDuration(line.text)}`);
    expect(theirs).toHaveLength(6);
    expect([...ours].sort()).toEqual([...theirs].sort());
  });
});
