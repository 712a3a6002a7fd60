/**
 * Differential test: the real HAProxy 2.6 and halb's HTTP helpers must agree. HAProxy runs with
 * cookie persistence in every mode and `option forwardfor`, in front of echo servers that return
 * the request head they received and the response headers each request asks for. For every case
 * the test checks, against what HAProxy really did:
 * - the request headers the server received = readPersistenceCookie + forwardedFor;
 * - the response headers the client received = responseCookieHeaders;
 * - the log's cookie letters = findCookieServer's and responseCookieHeaders' states;
 * - the bytes, connection handling and logged size of the responses HAProxy generates itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts, RunningHaproxy } from "../health/haproxy-process.js";
import {
  findCookieServer,
  readPersistenceCookie,
  responseCookieHeaders,
  type PersistenceCookie,
} from "../../../src/runtime/http/cookie-persistence.js";
import { closesConnection, errorLoggedBytes, errorResponse, type ErrorStatus } from "../../../src/runtime/http/error-responses.js";
import { forwardedFor } from "../../../src/runtime/http/forwarded-for.js";
import {
  exchange,
  headerValue,
  LOCALHOST,
  lowerCaseNames,
  parseHead,
  REPLY_HEADER,
  replyHeaderValue,
  splitResponse,
  startEchoServer,
  startGarbageServer,
  startSilentServer,
  withoutHeader,
  type EchoServer,
} from "./http-fixtures.js";

interface SectionServer {
  readonly name: string;
  readonly cookie?: string;
  readonly running: boolean;
}

interface Section {
  readonly name: string;
  /** The `cookie` line's options, null for none. */
  readonly cookie: PersistenceCookie | null;
  readonly servers: readonly SectionServer[];
}

const COOKIE = (method: PersistenceCookie["method"], options: Partial<PersistenceCookie> = {}): PersistenceCookie => ({
  name: "SRV", method, indirect: false, nocache: false, httponly: false, secure: false, ...options,
});

const SECTIONS: readonly Section[] = [
  {
    name: "ins",
    cookie: COOKIE("insert", { indirect: true, nocache: true }),
    servers: [
      { name: "s1", cookie: "a", running: true },
      { name: "s2", cookie: "b", running: true },
      { name: "s3", cookie: "c", running: false },
      { name: "s4", cookie: "d", running: true },
      { name: "s5", cookie: "d", running: true },
    ],
  },
  { name: "secure", cookie: COOKIE("insert", { indirect: true, nocache: true, httponly: true, secure: true }), servers: [{ name: "s1", cookie: "a", running: true }] },
  { name: "nocookieval", cookie: COOKIE("insert", { indirect: true, nocache: true }), servers: [{ name: "s1", running: true }] },
  { name: "insplain", cookie: COOKIE("insert"), servers: [{ name: "s1", cookie: "a", running: true }] },
  { name: "rw", cookie: COOKIE("rewrite", { nocache: true }), servers: [{ name: "s1", cookie: "a", running: true }] },
  { name: "rwnocookie", cookie: COOKIE("rewrite"), servers: [{ name: "s1", running: true }] },
  { name: "pfx", cookie: COOKIE("prefix"), servers: [{ name: "s1", cookie: "a", running: true }] },
  { name: "pfxind", cookie: COOKIE("prefix", { indirect: true }), servers: [{ name: "s1", cookie: "a", running: true }] },
  {
    name: "shared",
    cookie: COOKIE("insert", { indirect: true }),
    servers: [
      { name: "s1", cookie: "e", running: false },
      { name: "s2", cookie: "e", running: true },
    ],
  },
  { name: "nocookie", cookie: null, servers: [{ name: "s1", running: true }] },
];

function cookieLine(cookie: PersistenceCookie): string {
  const flags = [cookie.method, cookie.indirect && "indirect", cookie.nocache && "nocache", cookie.httponly && "httponly", cookie.secure && "secure"];
  return `cookie ${cookie.name} ${flags.filter(Boolean).join(" ")}`;
}

// The error sections: each provokes one of HAProxy's own responses.
const ERROR_SECTIONS = ["nosrv", "deny403", "deny401", "deny500", "badgw", "gwtimeout", "badreq", "slowreq"] as const;
type ErrorSection = (typeof ERROR_SECTIONS)[number];

let haproxy: RunningHaproxy;
const echoServers = new Map<string, EchoServer>();
const otherServers: EchoServer[] = [];
const ports = new Map<string, number>();

beforeAll(async () => {
  for (const name of ["s1", "s2", "s3", "s4", "s5"]) echoServers.set(name, await startEchoServer(name));
  const garbage = await startGarbageServer();
  const silent = await startSilentServer();
  otherServers.push(garbage, silent);
  const names = [...SECTIONS.map((section) => section.name), ...ERROR_SECTIONS];
  const free = await freePorts(names.length);
  names.forEach((name, index) => ports.set(name, free[index]!));

  const echo = (name: string): string => `${LOCALHOST}:${echoServers.get(name)!.port}`;
  const sections = SECTIONS.map((section) =>
    [
      `listen ${section.name}`,
      `  bind ${LOCALHOST}:${ports.get(section.name)}`,
      ...(section.cookie ? [`  ${cookieLine(section.cookie)}`] : []),
      ...section.servers.map((server) =>
        `  server ${server.name} ${echo(server.name)}${server.cookie ? ` cookie ${server.cookie}` : ""}${server.running ? "" : " disabled"}`),
    ].join("\n"));
  const errorSection = (name: ErrorSection, lines: string[]): string => [`listen ${name}`, `  bind ${LOCALHOST}:${ports.get(name)}`, ...lines.map((line) => `  ${line}`)].join("\n");
  const config = `
global
  log stdout local0

defaults
  mode http
  log global
  option httplog
  option forwardfor
  timeout connect 1s
  timeout client 5s
  timeout server 2s
  timeout http-request 300ms
  timeout http-keep-alive 3s

${sections.join("\n\n")}

${errorSection("nosrv", ["cookie SRV insert indirect nocache", `server s1 ${echo("s1")} cookie a disabled`])}

${errorSection("deny403", ["http-request deny"])}

${errorSection("deny401", ["http-request deny deny_status 401"])}

${errorSection("deny500", ["http-request deny deny_status 500"])}

${errorSection("badgw", [`server s1 ${LOCALHOST}:${garbage.port}`])}

${errorSection("gwtimeout", ["timeout server 300ms", `server s1 ${LOCALHOST}:${silent.port}`])}

${errorSection("badreq", [`server s1 ${echo("s1")}`])}

${errorSection("slowreq", [`server s1 ${echo("s1")}`])}
`;
  haproxy = await RunningHaproxy.start(config, ports.get("ins")!);
});

afterAll(async () => {
  await haproxy?.stop();
  await Promise.all([...echoServers.values(), ...otherServers].map((server) => server.close()));
});

interface LogLine {
  readonly frontend: string;
  readonly server: string;
  readonly status: number;
  readonly bytes: number;
  readonly termination: string;
  readonly request: string;
}

const HTTPLOG = /^\S+ \[[^\]]+\] (\S+) [^/\s]+\/(\S+) \S+ (-?\d+) (\d+) \S+ \S+ (\S{4}) .* "(.*)"$/;

/** Waits for HAProxy's log line about the request line (or, for `<BADREQ>`, the frontend). */
async function logLine(match: (line: LogLine) => boolean): Promise<LogLine> {
  const deadline = Date.now() + 3000;
  for (;;) {
    for (const { message } of haproxy.syslog) {
      const fields = HTTPLOG.exec(message);
      if (!fields) continue;
      const line = { frontend: fields[1]!, server: fields[2]!, status: Number(fields[3]), bytes: Number(fields[4]), termination: fields[5]!, request: fields[6]! };
      if (match(line)) return line;
    }
    if (Date.now() > deadline) throw new Error(`no log line found in:\n${haproxy.syslog.map((line) => line.message).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface CookieCase {
  readonly section: string;
  readonly method?: string;
  /** Each a `Cookie:` line. */
  readonly cookies?: readonly string[];
  /** The response headers the server adds (before its Content-Length). */
  readonly reply?: readonly (readonly [string, string])[];
  /** Other request headers, sent after Host. */
  readonly extra?: readonly (readonly [string, string])[];
}

const PAST = (): string => base64Int30(Math.floor(Date.now() / 1000 - 1000) >>> 2);
const FUTURE = (): string => base64Int30(Math.floor(Date.now() / 1000 + 100_000) >>> 2);

function base64Int30(value: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let digits = "";
  for (let shift = 24; shift >= 0; shift -= 6) digits += alphabet[(value >>> shift) & 63];
  return digits;
}

const CACHEABLE: readonly (readonly [string, string])[] = [["ETag", '"x"']];

const COOKIE_CASES: readonly CookieCase[] = [
  // insert indirect nocache: the request side
  { section: "ins" },
  { section: "ins", cookies: ["SRV=a"] },
  { section: "ins", cookies: ["SRV=c"] },
  { section: "ins", cookies: ["SRV=zz"] },
  { section: "ins", cookies: ["SRV="] },
  { section: "ins", cookies: ["SRV=d"] },
  { section: "ins", cookies: ["srv=a"] },
  { section: "ins", cookies: ["x=1; SRV=a; y=2"] },
  { section: "ins", cookies: ["x=1;SRV=a;y=2"] },
  { section: "ins", cookies: ["SRV=a; x=1"] },
  { section: "ins", cookies: ["x=1; SRV=b"] },
  { section: "ins", cookies: ["x = 1 ; SRV = a ; y = 2"] },
  { section: "ins", cookies: ["x=1\t;\tSRV=a ;y=2"] },
  { section: "ins", cookies: ["x=1", "SRV=b", "z=3"] },
  { section: "ins", cookies: ["$Version=1; SRV=a; $Path=/; x=1"] },
  { section: "ins", cookies: ["SRV=a, x=1"] },
  { section: "ins", cookies: ["noeq; SRV=a"] },
  { section: "ins", cookies: ["SRV=a;"] },
  { section: "ins", cookies: ["x=1;; SRV=a;;y=2"] },
  { section: "ins", cookies: ["SRV=a; SRV=b; x=1"] },
  { section: "ins", cookies: ["a=1; SRV=zz; b=2; SRV=a; c=3"] },
  { section: "ins", cookies: ["SRV=c; SRV=zz"] },
  { section: "ins", cookies: ["SRV=zz; SRV=c"] },
  { section: "ins", cookies: ["SRV=a; SRV=c"] },
  { section: "ins", cookies: ["SRV=a", "SRV=zz"] },
  { section: "ins", cookies: ['SRV="a"; x="q;w"'] },
  { section: "ins", cookies: ['x="a;SRV=b"; SRV=a'] },
  { section: "ins", cookies: [`SRV=a|${PAST()}`] },
  { section: "ins", cookies: [`SRV=a|${FUTURE()}`] },
  { section: "ins", cookies: [`SRV=a|${FUTURE()}|${FUTURE()}`] },
  { section: "ins", cookies: ["SRV=a|gAAAC"] },
  { section: "ins", cookies: [`SRV=|${FUTURE()}`] },
  { section: "ins", cookies: [`SRV=a|${FUTURE()}; SRV=b|${PAST()}`] },
  // insert indirect nocache: the response side and nocache
  { section: "ins", reply: [["Cache-Control", "max-age=60"]] },
  { section: "ins", reply: [["Cache-Control", "public"]] },
  { section: "ins", reply: [["Expires", "Thu, 01 Jan 2037 00:00:00 GMT"]] },
  { section: "ins", reply: [["Last-Modified", "Thu, 01 Jan 2015 00:00:00 GMT"]] },
  { section: "ins", reply: [["Cache-Control", "private, public, max-age=5"]] },
  { section: "ins", reply: [["Cache-Control", "public, private, max-age=5"]] },
  { section: "ins", reply: [["Pragma", "no-cache"], ["Cache-Control", "max-age=5"]] },
  { section: "ins", reply: [["Pragma", "x"], ["Pragma", "no-cache"], ["ETag", "1"]] },
  { section: "ins", reply: [["Cache-Control", 'no-cache="set-cookie"'], ["Expires", "x"]] },
  { section: "ins", reply: [["Cache-Control", "max-age=0"]] },
  { section: "ins", reply: [["Cache-Control", 'private="x", max-age=3']] },
  { section: "ins", method: "HEAD", reply: CACHEABLE },
  { section: "ins", method: "OPTIONS", reply: CACHEABLE },
  { section: "ins", method: "DELETE", reply: CACHEABLE },
  { section: "ins", method: "POST", reply: [["Cache-Control", "public, max-age=60"]] },
  { section: "ins", method: "POST", reply: [["Cache-Control", "max-age=60"]] },
  { section: "ins", reply: [...CACHEABLE, ["Set-Cookie", "SRV=server; path=/x"], ["Set-Cookie", "other=1"], ["X-After", "1"]] },
  { section: "ins", cookies: ["SRV=a"], reply: [...CACHEABLE, ["Set-Cookie", "SRV=server; path=/x"]] },
  { section: "ins", reply: [["Set-Cookie", "foo = bar ; path=/"], ["Set-Cookie", " SRV =x"]] },
  { section: "ins", extra: [["X-Forwarded-For", "9.9.9.9"]], reply: CACHEABLE },
  // the other modes
  { section: "secure", reply: CACHEABLE },
  { section: "nocookieval", reply: CACHEABLE },
  { section: "nocookieval", cookies: ["SRV=a"] },
  { section: "insplain", cookies: ["SRV=a; x=1"], reply: [["Set-Cookie", "SRV=q"]] },
  { section: "insplain", reply: [["Set-Cookie", "SRV=q"]] },
  { section: "rw", cookies: ["SRV=a; x=1"], reply: [["Set-Cookie", "SRV=zzz; path=/"], ...CACHEABLE] },
  { section: "rw", reply: [["Set-Cookie", "SRV = zzz ; path=/"]] },
  { section: "rw", reply: [["Set-Cookie", "SRV="]] },
  { section: "rw", reply: [["Set-Cookie", "SRV"]] },
  { section: "rw", reply: [["Set-Cookie", "a=1, SRV=2"]] },
  { section: "rw", reply: [["Set-Cookie", "x=1"]] },
  { section: "rwnocookie", reply: [["Set-Cookie", "SRV=x"]] },
  { section: "pfx", cookies: ["SRV=a~app; x=1"], reply: [["Set-Cookie", "SRV=app2; path=/"]] },
  { section: "pfx", cookies: ["SRV=zz~app"] },
  { section: "pfx", cookies: ["SRV=~app"] },
  { section: "pfx", cookies: ["SRV=a"] },
  { section: "pfx", cookies: ["SRV=app"] },
  { section: "pfx", cookies: ["x=1; SRV = a~app ;y=2"] },
  { section: "pfx", reply: [["Set-Cookie", "SRV="]] },
  { section: "pfxind", cookies: ["SRV=a~app; x=1"], reply: [["Set-Cookie", "SRV=app2; path=/"]] },
  { section: "pfxind", reply: [["Set-Cookie", "SRV=app2; path=/"]] },
  { section: "shared", cookies: ["SRV=e"] },
  { section: "nocookie", cookies: ["x = 1; SRV=a"], reply: [["Set-Cookie", "a = b"]] },
];

/**
 * Requests and responses of random shapes, the same on every run (HALB_COOKIE_FUZZ=<count> for
 * more): cookie headers for the request side, Set-Cookie and caching headers for the response side.
 */
function generatedCookieCases(count: number): CookieCase[] {
  let seed = 0x5eed;
  const random = (below: number): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % below;
  };
  const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
  const trim = (text: string): string => text.replace(/^[ \t]+|[ \t]+$/g, "");
  const separators = ["; ", ";", " ; ", ", ", ";;", " ;\t", ",", "; ;"];
  const common = ["SRV=zz", "SRV=", "SRV", "x=1", "y = 2", "$Path=/", "noeq", 'q="a;SRV=b"', 'z="\\";"'];
  const segments: Record<string, readonly string[]> = {
    insert: [...common, "SRV=a", "SRV=b", "SRV=c", "SRV = a", "SRV=d|AAAAB", "SRV=b|gAAAC", "SRV=a|AAAA"],
    prefix: [...common, "SRV=a~v", "SRV=a", "SRV = a~ v", "SRV=zz~w", "SRV=~", "SRV=a~"],
  };
  const sections = ["ins", "ins", "pfx", "pfxind", "rw", "secure", "insplain"] as const;
  const setCookies = ["SRV=x", "SRV = y ; path=/", "SRV=", "SRV", "foo = bar", "a=1, SRV=2", "SRV=z;Secure", 'SRV="q;w"; path=/', "SRV=a~b"];
  const caching: readonly (readonly [string, readonly string[]])[] = [
    ["Cache-Control", ["public", "private", "max-age=5", "no-cache", "public, max-age=0", "s-maxage=3", "no-store, max-age=2", "max-age=0, public", 'no-cache="set-cookie", max-age=1']],
    ["Pragma", ["no-cache", "x"]],
    ["ETag", ['"1"']],
    ["Expires", ["x"]],
    ["Last-Modified", ["x"]],
  ];
  const cases: CookieCase[] = [];
  for (let index = 0; index < count; index++) {
    const section = pick(sections);
    const pool = section.startsWith("pfx") ? segments["prefix"]! : segments["insert"]!;
    const lines = Array.from({ length: random(3) }, () => {
      const parts = Array.from({ length: 1 + random(5) }, () => pick(pool));
      return trim(parts.reduce((line, part) => line + pick(separators) + part));
    }).filter((line) => line !== "");
    const reply: [string, string][] = [];
    for (let header = random(4); header > 0; header--) {
      if (random(2) === 0) reply.push(["Set-Cookie", pick(setCookies)]);
      else {
        const [name, values] = pick(caching);
        reply.push([name, pick(values)]);
      }
    }
    cases.push({ section, method: pick(["GET", "GET", "POST", "HEAD", "PUT", "OPTIONS"]), cookies: lines, reply });
  }
  return cases;
}

function requestText(path: string, testCase: CookieCase): { text: string; headers: string[] } {
  const headers: string[] = ["Host", "x"];
  for (const [name, value] of testCase.extra ?? []) headers.push(name, value);
  for (const value of testCase.cookies ?? []) headers.push("Cookie", value);
  if (testCase.reply) headers.push(REPLY_HEADER, replyHeaderValue(testCase.reply));
  headers.push("Connection", "close");
  let text = `${testCase.method ?? "GET"} ${path} HTTP/1.1\r\n`;
  for (let index = 0; index < headers.length; index += 2) text += `${headers[index]}: ${headers[index + 1]}\r\n`;
  return { text: `${text}\r\n`, headers };
}

const ALL_COOKIE_CASES = [...COOKIE_CASES, ...generatedCookieCases(Number(process.env["HALB_COOKIE_FUZZ"] ?? 40))];

describe("halb's cookie persistence and forwardfor against HAProxy 2.6", () => {
  it.each(ALL_COOKIE_CASES.map((testCase, index) => [index, testCase] as const))("case %i: %j", async (index, testCase) => {
    const section = SECTIONS.find((candidate) => candidate.name === testCase.section)!;
    const method = testCase.method ?? "GET";
    const path = `/case-${index}`;
    const sent = requestText(path, testCase);
    const { received } = await exchange(ports.get(section.name)!, [[0, sent.text]], 2000);
    const response = splitResponse(received);
    expect(response.head.startLine).toBe("HTTP/1.1 200 OK");
    const serverGot = parseHead(response.body);
    const answeredBy = headerValue(response.head.headers, "x-server")!;
    const log = await logLine((line) => line.request === `${method} ${path} HTTP/1.1`);

    // HAProxy forwards no Connection header of the client's: the core drops it (end-to-end headers only).
    const clientHeaders = lowerCaseNames(sent.headers);
    let expectedRequest = withoutHeader(clientHeaders, "connection");
    let requestState = "-";
    let direct = false;
    let dates = { lastSeen: 0, firstSeen: 0 };
    if (section.cookie) {
      const read = readPersistenceCookie(clientHeaders, section.cookie);
      const match = findCookieServer(read.values, section.servers);
      expectedRequest = withoutHeader(read.headers, "connection");
      requestState = match.state;
      direct = match.state === "V";
      dates = { lastSeen: read.lastSeen, firstSeen: read.firstSeen };
      if (match.server) expect(answeredBy).toBe(match.server.name);
    }
    expectedRequest = forwardedFor(expectedRequest, "127.0.0.1");
    // A response to HEAD has no body to echo the request in.
    if (method !== "HEAD") {
      expect(serverGot.startLine).toBe(`${method} ${path} HTTP/1.1`);
      expect(serverGot.headers).toEqual(expectedRequest);
    }

    const contentLength = headerValue(response.head.headers, "content-length")!;
    const serverSent = lowerCaseNames(["X-Server", answeredBy, ...(testCase.reply ?? []).flat(), "Content-Length", contentLength]);
    let expectedResponse: readonly string[] = serverSent;
    let responseState = "-";
    if (section.cookie) {
      const answering = section.servers.find((server) => server.name === answeredBy)!;
      const result = responseCookieHeaders(serverSent, section.cookie, { serverCookie: answering.cookie, direct, method, status: 200, ...dates });
      expectedResponse = result.headers;
      responseState = result.state;
    }
    expect(response.head.headers).toEqual([...expectedResponse, "connection", "close"]);
    expect(log.termination).toBe(`--${requestState}${responseState}`);
  });
});

interface ErrorCase {
  readonly section: ErrorSection;
  readonly status: ErrorStatus;
  /** What the client sends, and when. */
  readonly parts: readonly (readonly [number, string])[];
  readonly connection?: "close" | "keep-alive";
  readonly termination: string;
}

const GET = (path: string, extra = ""): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

const ERROR_CASES: readonly ErrorCase[] = [
  { section: "nosrv", status: 503, parts: [[0, GET("/nosrv-1")]], termination: "SCNN" },
  { section: "nosrv", status: 503, parts: [[0, GET("/nosrv-2", "Cookie: SRV=a\r\nConnection: close\r\n")]], connection: "close", termination: "SCDN" },
  { section: "nosrv", status: 503, parts: [[0, "GET /nosrv-3 HTTP/1.0\r\n\r\n"]], connection: "close", termination: "SCNN" },
  { section: "nosrv", status: 503, parts: [[0, "GET /nosrv-4 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"]], connection: "keep-alive", termination: "SCNN" },
  { section: "deny403", status: 403, parts: [[0, GET("/deny403")]], termination: "PR--" },
  { section: "deny401", status: 401, parts: [[0, GET("/deny401")]], termination: "PR--" },
  { section: "deny500", status: 500, parts: [[0, GET("/deny500")]], termination: "PR--" },
  { section: "badgw", status: 502, parts: [[0, GET("/badgw")]], termination: "PH--" },
  { section: "gwtimeout", status: 504, parts: [[0, GET("/gwtimeout")]], termination: "sH--" },
  { section: "badreq", status: 400, parts: [[0, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"]], termination: "PR--" },
  { section: "slowreq", status: 408, parts: [[0, "GET / HTTP/1.1\r\nHost"]], termination: "cR--" },
];

// Concurrent: most cases wait to see whether the connection stays open.
describe.concurrent("halb's error responses against HAProxy 2.6", () => {
  it.for(ERROR_CASES.map((testCase) => [`${testCase.section} ${testCase.status} ${testCase.connection ?? ""}`, testCase] as const))("%s", async ([, testCase], { expect }) => {
    // Long enough to see a keep-alive connection stay open, well under `timeout http-keep-alive`.
    const result = await exchange(ports.get(testCase.section)!, testCase.parts, testCase.status === 504 || testCase.status === 408 ? 900 : 400);
    const expected = errorResponse(testCase.status, testCase.connection ? { connection: testCase.connection } : undefined);
    expect(result.received).toBe(expected.toString("latin1"));
    expect(result.closed).toBe(closesConnection(testCase.status) || testCase.connection === "close");

    const requestLine = /^([^\r]*)\r\n/.exec(testCase.parts[0]![1])?.[1];
    const log = await logLine((line) => line.frontend === testCase.section && (line.request === requestLine || line.request === "<BADREQ>"));
    expect(log.status).toBe(testCase.status);
    expect(log.bytes).toBe(errorLoggedBytes(testCase.status));
    expect(log.termination).toBe(testCase.termination);
  });
});
