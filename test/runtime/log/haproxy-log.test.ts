/**
 * The request log lines against the real HAProxy 2.6: a spec compiled by halb with `option httplog`
 * / `option tcplog` and `log stdout local0`, run by HAProxy; requests sent over raw sockets; then
 * our formatter, given the same facts, must produce HAProxy's line: the same layout (one regex for
 * both), the same fixed fields exactly, and timers unreached (-1) in the same places. Timers and the
 * date may differ (the date by the time the request took), and so may `%B` in HTTP mode: HAProxy 2.6
 * counts the sizes of its internal (HTX) message blocks there, not bytes on the wire (a 43-byte
 * response is logged as 54 bytes, one with five more 9-byte headers as 79), so the test cannot
 * know HAProxy's number; in TCP mode `%B` is the bytes sent, and is compared.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHttpLog, type HttpLogRecord, NO_SERVER } from "../../../src/runtime/log/httplog.js";
import { formatTcpLog, type TcpLogRecord } from "../../../src/runtime/log/tcplog.js";
import { compileText } from "../../helpers/compile-case.js";
import { freePorts, RunningHaproxy } from "../health/haproxy-process.js";
import { HealthServer, LOCALHOST } from "../health/net-fixtures.js";

const DATE = String.raw`\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}`;
const HTTPLOG = new RegExp(
  String.raw`^(?<client>[^ ]+):(?<port>\d+) \[(?<date>${DATE})\] (?<frontend>\S+) (?<backend>\S+)/(?<server>\S+) ` +
    String.raw`(?<TR>-?\d+)/(?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tr>-?\d+)/(?<Ta>\+?\d+) (?<status>-?\d+) (?<bytes>\+?\d+) ` +
    String.raw`(?<cookieIn>\S+) (?<cookieOut>\S+) (?<termination>\S{4}) ` +
    String.raw`(?<actconn>\d+)/(?<feconn>\d+)/(?<beconn>\d+)/(?<srvconn>\d+)/(?<retries>\+?\d+) (?<srvqueue>\d+)/(?<bequeue>\d+) "(?<request>.*)"$`,
);
const TCPLOG = new RegExp(
  String.raw`^(?<client>[^ ]+):(?<port>\d+) \[(?<date>${DATE})\] (?<frontend>\S+) (?<backend>\S+)/(?<server>\S+) ` +
    String.raw`(?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tt>\+?\d+) (?<bytes>\+?\d+) (?<termination>\S{2}) ` +
    String.raw`(?<actconn>\d+)/(?<feconn>\d+)/(?<beconn>\d+)/(?<srvconn>\d+)/(?<retries>\+?\d+) (?<srvqueue>\d+)/(?<bequeue>\d+)$`,
);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** HAProxy's log date (local time) back to a timestamp. */
function parseLogDate(text: string): number {
  const [, day, month, year, hours, minutes, seconds, ms] = /^(\d+)\/(\w+)\/(\d+):(\d+):(\d+):(\d+)\.(\d+)$/.exec(text)!;
  return new Date(Number(year), MONTHS.indexOf(month!), Number(day), Number(hours), Number(minutes), Number(seconds), Number(ms)).getTime();
}

/** Both lines fit the layout; everything but the date and the timers is equal; the same timers are -1. */
function expectSameLine(ours: string, theirs: string, layout: RegExp, timers: readonly string[], unknown: readonly string[] = []): void {
  const a = layout.exec(ours)?.groups;
  const b = layout.exec(theirs)?.groups;
  const both = `\nhaproxy: ${theirs}\nhalb:    ${ours}`;
  expect(a, `our line does not fit the layout:${both}`).toBeDefined();
  expect(b, `HAProxy's line does not fit the layout:${both}`).toBeDefined();
  const fixed = (groups: Record<string, string>) =>
    Object.fromEntries(Object.entries(groups).filter(([name]) => name !== "date" && !timers.includes(name) && !unknown.includes(name)));
  expect(fixed(a!), both).toEqual(fixed(b!));
  const unreached = (groups: Record<string, string>) => timers.map((name) => groups[name] === "-1");
  expect(unreached(a!), both).toEqual(unreached(b!));
  expect(Math.abs(parseLogDate(a!["date"]!) - parseLogDate(b!["date"]!))).toBeLessThan(2000);
}

interface Exchange {
  readonly clientPort: number;
  readonly sentAt: number;
  readonly elapsedMs: number;
  readonly received: Buffer;
}

/** Sends raw bytes, reads until the proxy closes. */
function exchange(port: number, request: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sentAt = Date.now();
    const chunks: Buffer[] = [];
    const socket = connect(port, LOCALHOST, () => socket.write(request));
    let clientPort = 0;
    socket.once("connect", () => (clientPort = socket.localPort!));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ clientPort, sentAt, elapsedMs: Date.now() - sentAt, received: Buffer.concat(chunks) }));
  });
}

function statusOf(response: Buffer): number {
  return Number(/^HTTP\/1\.\d (\d{3})/.exec(response.toString("latin1"))![1]);
}

let haproxy: RunningHaproxy;
let web: HealthServer;
const ports = { web: 0, fe: 0, nosrv: 0, tcp: 0 };

beforeAll(async () => {
  web = await HealthServer.start("s1");
  [ports.fe, ports.nosrv, ports.tcp] = (await freePorts(3)) as [number, number, number];
  const spec = `
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
frontend fe {
  bind 127.0.0.1:${ports.fe}
  log stdout local0
  option httplog
  default -> be
}
frontend nosrv {
  bind 127.0.0.1:${ports.nosrv}
  log stdout local0
  option httplog
  default -> dead
}
backend be {
  server s1 127.0.0.1:${web.port}
}
backend dead {
  server d1 127.0.0.1:${web.port} disabled
}
listen tc {
  bind 127.0.0.1:${ports.tcp}
  mode tcp
  log stdout local0
  option tcplog
  server t1 127.0.0.1:${web.port}
}
`;
  const compiled = compileText("log.hal", spec, {});
  if (!compiled.ir) throw new Error(compiled.report);
  const cfg = compiled.files.find((file) => file.path === "a/haproxy.cfg")!.contents;
  expect(cfg).toMatch(/option httplog/);
  expect(cfg).toMatch(/option tcplog/);
  haproxy = await RunningHaproxy.start(cfg, ports.tcp);
  // The connection that found HAProxy ready goes through `tc`: wait until it is over (and logged),
  // or it would count in the next request's actconn.
  while (haproxy.syslog.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}, 20_000);

afterAll(async () => {
  await haproxy?.stop();
  await web?.stop();
});

/** HAProxy's log line for the connection from `clientPort`. */
async function haproxyLineFor(clientPort: number): Promise<string> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const line = haproxy.syslog.find((entry) => entry.message.startsWith(`${LOCALHOST}:${clientPort} [`));
    if (line) return line.message;
    if (Date.now() > deadline) throw new Error(`no log line for port ${clientPort}:\n${haproxy.syslog.map((l) => l.message).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const HTTP_TIMERS = ["TR", "Tw", "Tc", "Tr", "Ta"] as const;

/** The facts of one HTTP exchange as the core will know them; `overrides` for what differs per case. */
function httpRecord(sent: Exchange, overrides: Partial<HttpLogRecord>): HttpLogRecord {
  return {
    clientAddress: LOCALHOST,
    clientPort: sent.clientPort,
    requestDate: sent.sentAt,
    frontend: "fe",
    backend: "be",
    server: "s1",
    timers: { request: 0, queue: 0, connect: 0, response: sent.elapsedMs, active: sent.elapsedMs },
    status: statusOf(sent.received),
    bytesSent: sent.received.length,
    termination: { cause: "-", phase: "-" },
    // One client connection, logged once the server connection is released.
    connections: { process: 1, frontend: 1, backend: 0, server: 0 },
    retries: 0,
    redispatched: false,
    queues: { server: 0, backend: 0 },
    requestLine: "GET /x?y=1 HTTP/1.1",
    ...overrides,
  };
}

describe("httplog and tcplog lines against HAProxy 2.6", () => {
  it("a request served by a server", async () => {
    const sent = await exchange(ports.fe, "GET /x?y=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const theirs = await haproxyLineFor(sent.clientPort);
    const ours = formatHttpLog(httpRecord(sent, {}));
    expectSameLine(ours, theirs, HTTPLOG, HTTP_TIMERS, ["bytes"]);
  });

  it("a request no server could take (only one in maintenance): 503, <NOSRV>, SC--", async () => {
    const sent = await exchange(ports.nosrv, "GET /down HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const theirs = await haproxyLineFor(sent.clientPort);
    const ours = formatHttpLog(
      httpRecord(sent, {
        frontend: "nosrv",
        backend: "dead",
        server: NO_SERVER,
        timers: { request: 0, queue: null, connect: null, response: null, active: 0 },
        termination: { cause: "S", phase: "C" },
        requestLine: "GET /down HTTP/1.1",
      }),
    );
    expect(statusOf(sent.received)).toBe(503);
    expectSameLine(ours, theirs, HTTPLOG, HTTP_TIMERS, ["bytes"]);
  });

  it("a request HAProxy cannot parse: 400, <BADREQ>, PR--", async () => {
    const sent = await exchange(ports.fe, "GARBAGE\r\n\r\n");
    const theirs = await haproxyLineFor(sent.clientPort);
    const ours = formatHttpLog(
      httpRecord(sent, {
        backend: "fe",
        server: NO_SERVER,
        timers: { request: null, queue: null, connect: null, response: null, active: 0 },
        // HAProxy counts no byte for the error page its own parser sends: compared exactly here.
        bytesSent: 0,
        termination: { cause: "P", phase: "R" },
        requestLine: null,
      }),
    );
    expect(statusOf(sent.received)).toBe(400);
    expectSameLine(ours, theirs, HTTPLOG, HTTP_TIMERS);
  });

  it("a TCP connection through a listen with tcplog", async () => {
    const sent = await exchange(ports.tcp, "GET /tcp HTTP/1.0\r\n\r\n");
    const theirs = await haproxyLineFor(sent.clientPort);
    const record: TcpLogRecord = {
      clientAddress: LOCALHOST,
      clientPort: sent.clientPort,
      acceptDate: sent.sentAt,
      frontend: "tc",
      backend: "tc",
      server: "t1",
      timers: { queue: 0, connect: 0, total: sent.elapsedMs },
      bytesSent: sent.received.length,
      termination: { cause: "-", phase: "-" },
      connections: { process: 1, frontend: 1, backend: 0, server: 0 },
      retries: 0,
      redispatched: false,
      queues: { server: 0, backend: 0 },
    };
    const ours = formatTcpLog(record);
    expectSameLine(ours, theirs, TCPLOG, ["Tw", "Tc", "Tt"]);
  });
});
