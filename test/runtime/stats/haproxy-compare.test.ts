/**
 * The statistics page against the real HAProxy 2.6. halb's own emitter writes haproxy.cfg for
 * the fixture IR (stats listen with auth and admin, an HTTP frontend, a backend whose servers
 * are checked-and-up, checked-and-refused, disabled, and an unchecked backup, plus a TCP listen);
 * HAProxy runs it on 127.0.0.1 in the foreground, with a tiny local HTTP server for the checks.
 * Our registry gets the same states through ServerStatus, then both pages are compared: the CSV
 * header byte for byte, the rows, the configuration and state columns value for value, which
 * fields are empty, the admin POSTs' redirects and effects, the 401, and the Prometheus families.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitHaproxyConfig } from "../../../src/emit/haproxy/index.js";
import type { Ir } from "../../../src/ir/types.js";
import {
  CSV_HEADER,
  handleStatsRequest,
  resolveStatsSettings,
  type StatsPageContext,
  StatsRegistry,
  type StatsResponse,
} from "../../../src/runtime/stats/index.js";
import { findBinary } from "../../helpers/daemons.js";
import { type FixturePorts, fixtureIr } from "./fixture-ir.js";
import { type PromFamily, parsePrometheusText } from "./prometheus-text.js";

const PASSWORD = 's3cret "pw" #1';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;
const REALM = "halb test realm";

/** A port nothing listens on now (the kernel picked it free, then we let it go). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type CsvTable = { header: string; rows: Map<string, Map<string, string>>; order: string[] };

function parseCsv(text: string): CsvTable {
  const lines = text.split("\n").filter((line) => line !== "");
  const header = lines[0] ?? "";
  const names = header.slice(2).split(",").slice(0, -1);
  const rows = new Map<string, Map<string, string>>();
  const order: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    const row = new Map(names.map((name, index) => [name, cells[index] ?? ""]));
    const key = `${row.get("pxname")}/${row.get("svname")}`;
    rows.set(key, row);
    order.push(key);
  }
  return { header: `${header}\n`, rows, order };
}


let haproxy: ChildProcess | undefined;
let haproxyOutput = "";
let healthServer: Server | undefined;
let workDir: string | undefined;
let ports: FixturePorts;
let ir: Ir;

async function fetchHaproxy(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${ports.stats}${path}`, { redirect: "manual", ...init, headers: { authorization: AUTH, ...init.headers } });
}

async function haproxyCsv(path = "/stats;csv"): Promise<CsvTable> {
  const response = await fetchHaproxy(path);
  expect(response.status).toBe(200);
  return parseCsv(await response.text());
}

/**
 * The CSV at a moment no check is running: while one runs HAProxy prefixes check_status with
 * "* " and has already reset check_code. Checks run every 100 ms and take about 1 ms.
 */
async function settledHaproxyCsv(path = "/stats;csv"): Promise<CsvTable> {
  for (let attempt = 0; ; attempt++) {
    const table = await haproxyCsv(path);
    const running = [...table.rows.values()].some((row) => row.get("check_status")?.startsWith("* "));
    if (!running || attempt === 50) return table;
    await new Promise((resolve) => setTimeout(resolve, 7));
  }
}

/** Our side: the same IR, the same states. */
function ourSide(): { context: StatsPageContext; registry: StatsRegistry; request: (method: string, url: string, body?: string) => StatsResponse } {
  const now = Date.now();
  const registry = new StatsRegistry(ir, { nowMs: now, processMaxconn: 4096 });
  registry.server("app", "s1").status.recordCheck({ status: "L7OK", code: 200, durationMs: 1, description: "", health: 4 }, now);
  registry.server("app", "s2").status.recordCheck({ status: "L4CON", durationMs: 0, description: "Connection refused", health: 0 }, now);
  registry.server("db", "db1").status.recordCheck({ status: "L4OK", durationMs: 0, description: "", health: 4 }, now);
  const stats = ir.haproxy.stats;
  if (!stats) throw new Error("the fixture has a stats section");
  const { settings } = resolveStatsSettings(stats, {
    clusterName: ir.cluster.name,
    nodeName: "haproxy-server",
    resolveEnv: (name) => (name === "STATS_PASS" ? PASSWORD : undefined),
  });
  const context: StatsPageContext = { registry, settings, nowMs: now };
  const request = (method: string, url: string, body?: string): StatsResponse =>
    handleStatsRequest({ method, url, headers: { authorization: AUTH }, ...(body === undefined ? {} : { body }) }, { ...context, nowMs: Date.now() });
  return { context, registry, request };
}

beforeAll(async () => {
  healthServer = createServer((_request, response) => response.end("ok"));
  await new Promise<void>((resolve) => healthServer?.listen(0, "127.0.0.1", resolve));
  const healthy = (healthServer.address() as AddressInfo).port;
  ports = { stats: await freePort(), frontend: await freePort(), tcpListen: await freePort(), healthy, closed: await freePort() };
  ir = fixtureIr(ports, { auth: [{ user: "admin", password: { env: "STATS_PASS" } }], realm: REALM });
  const node = ir.cluster.nodes[0];
  if (!node) throw new Error("the fixture has nodes");
  workDir = mkdtempSync(join(tmpdir(), "halb-stats-"));
  const cfgPath = join(workDir, "haproxy.cfg");
  writeFileSync(cfgPath, emitHaproxyConfig(ir, node).text);
  const child = spawn(findBinary("haproxy"), ["-db", "-f", cfgPath], {
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", STATS_PASS: PASSWORD },
    stdio: ["ignore", "pipe", "pipe"],
  });
  haproxy = child;
  child.stdout?.on("data", (chunk: Buffer) => (haproxyOutput += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (haproxyOutput += chunk.toString()));

  // Wait for the checks to settle: s1 and db1 fully UP, s2 DOWN.
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const table = await haproxyCsv();
      const status = (key: string): string | undefined => table.rows.get(key)?.get("status");
      if (status("app/s1") === "UP" && status("app/s2") === "DOWN" && status("db/db1") === "UP") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`HAProxy did not reach the expected states:\n${haproxyOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 30_000);

afterAll(async () => {
  if (haproxy && haproxy.exitCode === null) {
    const exited = new Promise((resolve) => haproxy?.once("exit", resolve));
    haproxy.kill("SIGTERM");
    await exited;
  }
  await new Promise<void>((resolve) => (healthServer ? healthServer.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Columns that come from the configuration and the servers' states, not from traffic or the clock. */
const STATE_COLUMNS = [
  "slim", "status", "weight", "act", "bck", "chkfail", "chkdown", "qlimit", "pid", "iid", "sid", "throttle", "tracked", "type",
  "rate_lim", "check_status", "check_code", "check_desc", "check_rise", "check_fall", "check_health", "last_chk",
  "agent_status", "addr", "cookie", "mode", "algo", "uweight", "agg_server_status", "agg_server_check_status", "agg_check_status", "-",
] as const; // prettier-ignore

describe("statistics page against HAProxy 2.6", () => {
  it("has HAProxy's CSV header byte for byte, its rows in its order, and the same state columns and empty fields", async () => {
    const theirs = await settledHaproxyCsv();
    const ours = parseCsv(ourSide().request("GET", "/stats;csv").body);

    expect(CSV_HEADER).toBe(theirs.header);
    expect(ours.header).toBe(theirs.header);
    expect(ours.order).toEqual(theirs.order);
    expect(ours.order).toEqual([
      "stats/FRONTEND", "stats/BACKEND", "www/FRONTEND", "db/FRONTEND", "db/db1", "db/BACKEND",
      "app/s1", "app/s2", "app/s3", "app/s4", "app/BACKEND",
    ]); // prettier-ignore

    for (const key of theirs.order) {
      const theirRow = theirs.rows.get(key);
      const ourRow = ours.rows.get(key);
      if (!theirRow || !ourRow) throw new Error(`row ${key} missing`);
      for (const column of STATE_COLUMNS) expect(`${key} ${column}=${ourRow.get(column)}`).toBe(`${key} ${column}=${theirRow.get(column)}`);
      for (const [column, value] of theirRow) {
        expect(`${key} ${column} ${ourRow.get(column) === "" ? "empty" : "set"}`).toBe(`${key} ${column} ${value === "" ? "empty" : "set"}`);
      }
    }
  });

  it("hides the same servers for ;up and ;no-maint and counts servers in the backend status alike", async () => {
    const { request } = ourSide();
    for (const options of [";up", ";no-maint", ";up;no-maint"]) {
      const theirs = await haproxyCsv(`/stats;csv${options}`);
      const ours = parseCsv(request("GET", `/stats;csv${options}`).body);
      expect(ours.order).toEqual(theirs.order);
      for (const key of theirs.order) expect(`${key} ${ours.rows.get(key)?.get("status")}`).toBe(`${key} ${theirs.rows.get(key)?.get("status")}`);
    }
    const scoped = await haproxyCsv("/stats;csv?scope=AP");
    expect(parseCsv(request("GET", "/stats;csv?scope=AP").body).order).toEqual(scoped.order);
  });

  it("answers a request without credentials with HAProxy's 401, realm and body", async () => {
    const theirs = await fetch(`http://127.0.0.1:${ports.stats}/stats;csv`);
    const ours = handleStatsRequest({ method: "GET", url: "/stats;csv", headers: {} }, ourSide().context);
    expect(ours.status).toBe(theirs.status);
    expect(ours.headers["www-authenticate"]).toBe(theirs.headers.get("www-authenticate"));
    expect(ours.headers["www-authenticate"]).toBe(`Basic realm="${REALM}"`);
    expect(ours.headers["content-type"]).toBe(theirs.headers.get("content-type"));
    expect(ours.body).toBe(await theirs.text());
  });

  it("exposes Prometheus families named, typed and labelled like HAProxy's exporter, with the same states", async () => {
    const STATE_FAMILIES = [
      "haproxy_frontend_status", "haproxy_backend_status", "haproxy_server_status", "haproxy_server_check_status",
      "haproxy_backend_agg_server_status", "haproxy_backend_agg_check_status", "haproxy_backend_weight", "haproxy_server_weight",
      "haproxy_backend_active_servers", "haproxy_backend_backup_servers", "haproxy_server_check_code", "haproxy_server_limit_sessions",
    ]; // prettier-ignore
    const stateValues = (families: Map<string, PromFamily>): string[] =>
      STATE_FAMILIES.flatMap((name) => (families.get(name)?.samples ?? []).map((sample) => `${name}${JSON.stringify(sample.labels)}=${sample.value}`)).sort();
    const ourResponse = ourSide().request("GET", "/metrics");
    expect(ourResponse.headers["content-type"]).toBe("text/plain; version=0.0.4");
    const ours = parsePrometheusText(ourResponse.body);
    // A check starting resets HAProxy's check_code for about a millisecond: read again if caught then.
    let theirs = parsePrometheusText(await (await fetch(`http://127.0.0.1:${ports.stats}/metrics`)).text());
    for (let attempt = 0; attempt < 20 && stateValues(theirs).join() !== stateValues(ours).join(); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 7));
      theirs = parsePrometheusText(await (await fetch(`http://127.0.0.1:${ports.stats}/metrics`)).text());
    }

    const objectFamilies = (families: Map<string, PromFamily>): string[] => [...families.keys()].filter((name) => /^haproxy_(frontend|backend|server)_/.test(name));
    expect(objectFamilies(ours)).toEqual(objectFamilies(theirs));
    for (const [name, family] of ours) {
      const theirFamily = theirs.get(name);
      if (!theirFamily) throw new Error(`HAProxy has no family ${name}`);
      expect(`${name} ${family.type}`).toBe(`${name} ${theirFamily.type}`);
      if (name.startsWith("haproxy_process_")) continue;
      const labelSets = (samples: PromFamily["samples"]): string[] => samples.map((sample) => JSON.stringify(sample.labels)).sort();
      expect(labelSets(family.samples)).toEqual(labelSets(theirFamily.samples));
    }
    expect(stateValues(ours)).toEqual(stateValues(theirs));
  });

  it("takes the admin form HAProxy's page posts, with the same redirects and the same effects", async () => {
    const { request } = ourSide();
    const compareApp = async (after: string): Promise<void> => {
      const theirs = await settledHaproxyCsv();
      const ours = parseCsv(request("GET", "/stats;csv").body);
      for (const key of ["app/s1", "app/s2", "app/s3", "app/s4", "app/BACKEND"]) {
        for (const column of ["status", "weight", "act", "bck", "uweight", "chkfail", "chkdown", "check_status"]) {
          expect(`after ${after}: ${key} ${column}=${ours.rows.get(key)?.get(column)}`).toBe(
            `after ${after}: ${key} ${column}=${theirs.rows.get(key)?.get(column)}`,
          );
        }
      }
    };
    const posts = [
      ["/stats", "s=s1&action=drain&b=%234"], // b=#4: the backend by proxy id, as the page sends it
      ["/stats;up;norefresh", "s=s2&s=nope&action=maint&b=app"],
      ["/stats", "s=s4&action=maint&b=app"],
      ["/stats", "s=s4&action=drain&b=app"],
      ["/stats", "s=s4&action=hnolb&b=app"],
      ["/stats", "s=s4&action=hdown&b=app"],
      ["/stats", "s=s4&action=hrunn&b=app"],
      ["/stats", "s=s1&action=dhlth&b=app"],
      ["/stats", "s=s1&s=s4&action=ready&b=app"],
      ["/stats", "s=s1&action=ehlth&b=app"],
      ["/stats", "s=s4&action=dhlth&b=app"],
      ["/stats", "s=s4&action=enable&b=app"],
      ["/stats", "s=nope&action=ready&b=app"],
      ["/stats", "action=ready&b=app"],
      ["/stats", "s=s1&action=bogus&b=app"],
      ["/stats", "s=s1&action=ready&b=nobackend"],
      ["/stats", "s=s1&action=dagent&b=app"],
    ] as const;
    for (const [url, body] of posts) {
      const theirs = await fetchHaproxy(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
      const ours = request("POST", url, body);
      expect(`${body} → ${ours.status} ${ours.headers.location}`).toBe(`${body} → ${theirs.status} ${theirs.headers.get("location")}`);
      await compareApp(body);
    }
  });
});
