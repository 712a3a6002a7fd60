/**
 * Every expectation here was observed on HAProxy 2.6.12 (the differential test replays a good part
 * of them against the real thing).
 */
import { describe, expect, it } from "vitest";
import {
  findCookieServer,
  readPersistenceCookie,
  responseCookieHeaders,
  responseIsCacheable,
  type CookieServer,
  type PersistenceCookie,
  type ResponseCookieContext,
} from "../../../src/runtime/http/cookie-persistence.js";

const INSERT: PersistenceCookie = { name: "SRV", method: "insert", indirect: true, nocache: true, httponly: false, secure: false };
const INSERT_DIRECT: PersistenceCookie = { ...INSERT, indirect: false, nocache: false };
const REWRITE: PersistenceCookie = { ...INSERT, method: "rewrite", indirect: false, nocache: false };
const PREFIX: PersistenceCookie = { ...REWRITE, method: "prefix" };
const PREFIX_INDIRECT: PersistenceCookie = { ...PREFIX, indirect: true };

interface TestServer extends CookieServer {
  readonly name: string;
}

// As in the HAProxy configuration the cases were measured with: s3 is `disabled`, s4 and s5 share a value.
const SERVERS: readonly TestServer[] = [
  { name: "s1", cookie: "a", running: true },
  { name: "s2", cookie: "b", running: true },
  { name: "s3", cookie: "c", running: false },
  { name: "s4", cookie: "d", running: true },
  { name: "s5", cookie: "d", running: true },
];

function cookieLines(...values: string[]): string[] {
  return values.flatMap((value) => ["cookie", value]);
}

function request(cookie: PersistenceCookie, ...values: string[]): { forwarded: string[]; server: string | null; state: string } {
  const headers = ["host", "x", ...cookieLines(...values), "accept", "*/*"];
  const read = readPersistenceCookie(headers, cookie);
  const match = findCookieServer(read.values, SERVERS);
  const forwarded: string[] = [];
  for (let index = 0; index < read.headers.length; index += 2) if (read.headers[index] === "cookie") forwarded.push(read.headers[index + 1]!);
  expect(read.headers.slice(0, 2)).toEqual(["host", "x"]);
  expect(read.headers.slice(-2)).toEqual(["accept", "*/*"]);
  return { forwarded, server: match.server?.name ?? null, state: match.state };
}

describe("readPersistenceCookie + findCookieServer, insert indirect", () => {
  it.each([
    [[], [], null, "N"],
    [["SRV=a"], [], "s1", "V"],
    [["SRV=c"], [], null, "D"],
    [["SRV=zz"], [], null, "I"],
    [["SRV="], [], null, "I"],
    [["SRV=d"], [], "s4", "V"],
    [["srv=a"], ["srv=a"], null, "N"],
    [['SRV="a"; x="q;w"'], ['x="q;w"'], null, "I"],
  ])("%j → forwards %j, server %s, flag %s", (sent, forwarded, server, state) => {
    expect(request(INSERT, ...sent)).toEqual({ forwarded, server, state });
  });

  it.each([
    ["x=1; SRV=a; y=2", ["x=1; y=2"]],
    ["x=1;SRV=a;y=2", ["x=1; y=2"]],
    ["SRV=a; x=1", ["x=1"]],
    ["x=1; SRV=a", ["x=1"]],
    ["x = 1 ; SRV = a ; y = 2", ["x=1; y=2"]],
    ["$Version=1; SRV=a; $Path=/; x=1", ["$Version=1; x=1"]],
    ["SRV=a, x=1", ["x=1"]],
    ["noeq; SRV=a", ["noeq"]],
    ["SRV=a;", []],
  ])("cuts the cookie out of %j", (sent, forwarded) => {
    expect(request(INSERT, sent)).toEqual({ forwarded, server: "s1", state: "V" });
  });

  it("drops a cookie line left empty and keeps the others in place", () => {
    expect(request(INSERT, "x=1", "SRV=b", "z=3")).toEqual({ forwarded: ["x=1", "z=3"], server: "s2", state: "V" });
  });

  it.each([
    [["SRV=zz; SRV=a"], "s1", "V"],
    [["SRV=a; SRV=b"], "s1", "V"],
    [["SRV=a; SRV=zz"], "s1", "V"],
    [["SRV=a; SRV=c"], "s1", "V"],
    [["SRV=c; SRV=a"], "s1", "V"],
    [["SRV=c; SRV=zz"], null, "D"],
    [["SRV=zz; SRV=c"], null, "D"],
    [["SRV=; SRV=a"], "s1", "V"],
    [["SRV=a", "SRV=zz"], "s1", "V"],
  ])("with several occurrences %j goes to %s (%s)", (sent, server, state) => {
    expect(request(INSERT, ...sent)).toEqual({ forwarded: [], server, state });
  });

  it("follows a value shared by several servers to the first running one", () => {
    const shared: TestServer[] = [
      { name: "down", cookie: "e", running: false },
      { name: "up", cookie: "e", running: true },
    ];
    expect(findCookieServer(["e"], shared)).toEqual({ server: shared[1], state: "V" });
    expect(findCookieServer(["e"], shared.slice(0, 1))).toEqual({ server: null, state: "D" });
  });

  it("returns the input array when nothing changes, without touching it", () => {
    const headers = ["host", "x", "cookie", "x=1; y=2"];
    const frozen = Object.freeze([...headers]);
    const read = readPersistenceCookie(frozen, INSERT);
    expect(read.headers).toBe(frozen);
    expect(read.value).toBeNull();
    expect(read.values).toEqual([]);
  });

  it("reads the dates after '|' and uses the part before as the server's id", () => {
    const read = readPersistenceCookie(cookieLines("SRV=a|awfW+|AAAAB"), INSERT);
    expect(read.value).toBe("a");
    expect(read.lastSeen).toBe(base64Int30("awfW+") * 4);
    expect(read.firstSeen).toBe(4);
    // HAProxy's int is signed: a date past 2^31 s reads negative, i.e. long past.
    expect(readPersistenceCookie(cookieLines("SRV=a|gAAAC"), INSERT).lastSeen).toBeLessThan(0);
    expect(readPersistenceCookie(cookieLines("SRV=a|abc"), INSERT).lastSeen).toBe(0);
    expect(readPersistenceCookie(cookieLines("SRV=a|aw=W+"), INSERT).lastSeen).toBe(0);
  });
});

function base64Int30(digits: string): number {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return [...digits].reduce((value, digit) => value * 64 + alphabet.indexOf(digit), 0);
}

describe("readPersistenceCookie in the other modes", () => {
  it.each([
    ["SRV=a~app; x=1", ["SRV=app; x=1"], "s1", "V"],
    ["SRV=zz~app", ["SRV=app"], null, "I"],
    ["SRV=~app", ["SRV=app"], null, "I"],
    ["SRV=a", ["SRV=a"], "s1", "V"],
    ["SRV=app", ["SRV=app"], null, "I"],
  ])("prefix: %j → forwards %j, server %s (%s)", (sent, forwarded, server, state) => {
    expect(request(PREFIX, sent)).toEqual({ forwarded, server, state });
    expect(request(PREFIX_INDIRECT, sent)).toEqual({ forwarded, server, state });
  });

  it("leaves the cookie to the server in rewrite mode and in insert mode without indirect", () => {
    expect(request(REWRITE, "SRV=a; x=1")).toEqual({ forwarded: ["SRV=a; x=1"], server: "s1", state: "V" });
    expect(request(INSERT_DIRECT, "SRV=a; x=1")).toEqual({ forwarded: ["SRV=a; x=1"], server: "s1", state: "V" });
  });
});

const NOW = 1_800_000_000;

function respond(cookie: PersistenceCookie, headers: string[], context: Partial<ResponseCookieContext> = {}): { headers: readonly string[]; state: string } {
  return responseCookieHeaders(headers, cookie, { serverCookie: "a", direct: false, method: "GET", status: 200, now: NOW, ...context });
}

describe("responseCookieHeaders", () => {
  it("NI: inserts the cookie after the server's headers; no cache-control for an uncacheable response", () => {
    expect(respond(INSERT, ["content-length", "27"])).toEqual({ headers: ["content-length", "27", "set-cookie", "SRV=a; path=/"], state: "I" });
  });

  it("nocache: adds cache-control: private after the cookie when the response is cacheable", () => {
    expect(respond(INSERT, ["cache-control", "max-age=60", "content-length", "74"]).headers).toEqual([
      "cache-control", "max-age=60", "content-length", "74", "set-cookie", "SRV=a; path=/", "cache-control", "private",
    ]);
  });

  it("VN: nothing for a request that came straight through its valid cookie", () => {
    const headers = ["etag", '"x"'];
    const result = respond(INSERT, headers, { direct: true });
    expect(result).toEqual({ headers, state: "N" });
    expect(result.headers).toBe(headers);
  });

  it("VD / NI: removes the server's own cookie of that name, then inserts ours when not direct", () => {
    const server = ["etag", '"x"', "set-cookie", "SRV=server; path=/x", "set-cookie", "other=1", "x-after", "1"];
    expect(respond(INSERT, server, { direct: true })).toEqual({ headers: ["etag", '"x"', "set-cookie", "other=1", "x-after", "1"], state: "D" });
    expect(respond(INSERT, server)).toEqual({
      headers: ["etag", '"x"', "set-cookie", "other=1", "x-after", "1", "set-cookie", "SRV=a; path=/", "cache-control", "private"],
      state: "I",
    });
    expect(respond(INSERT_DIRECT, ["set-cookie", "SRV=q"], { direct: true })).toEqual({ headers: [], state: "D" });
  });

  it("writes HttpOnly and Secure after the path", () => {
    expect(respond({ ...INSERT, httponly: true, secure: true }, []).headers).toEqual(["set-cookie", "SRV=a; path=/; HttpOnly; Secure"]);
  });

  it("NI / II: a server without a cookie value gets the expiring cookie", () => {
    expect(respond(INSERT, ["etag", "1"], { serverCookie: undefined })).toEqual({
      headers: ["etag", "1", "set-cookie", "SRV=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/", "cache-control", "private"],
      state: "I",
    });
  });

  it("VU: refreshes a valid cookie whose last-seen date is past, or that carries a first-seen date", () => {
    expect(respond(INSERT, [], { direct: true, lastSeen: NOW - 1000 })).toEqual({ headers: ["set-cookie", "SRV=a; path=/"], state: "U" });
    expect(respond(INSERT, [], { direct: true, lastSeen: NOW + 1000 })).toEqual({ headers: [], state: "N" });
    expect(respond(INSERT, [], { direct: true, lastSeen: NOW + 1000, firstSeen: NOW + 1000 }).state).toBe("U");
    expect(respond(INSERT, [], { direct: true, lastSeen: -953354792 }).state).toBe("U");
  });

  it("removes spaces around '=' in every Set-Cookie", () => {
    expect(respond(INSERT, ["set-cookie", "foo = bar ; path=/", "set-cookie", "SRV =x"], { serverCookie: "b" }).headers).toEqual([
      "set-cookie", "foo=bar ; path=/", "set-cookie", "SRV=b; path=/",
    ]);
  });

  it.each([
    ["SRV=zzz; path=/", "SRV=a; path=/", "R"],
    ["SRV = zzz ; path=/", "SRV=a ; path=/", "R"],
    ["SRV=", "SRV=a", "R"],
    ["SRV", "SRV", "N"],
    ["x=1", "x=1", "N"],
    ["a=1, SRV=2", "a=1, SRV=2", "N"],
  ])("rewrite: %j → %j (%s), in place", (sent, forwarded, state) => {
    for (const direct of [false, true]) {
      expect(respond(REWRITE, ["set-cookie", sent, "etag", "1"], { direct })).toEqual({ headers: ["set-cookie", forwarded, "etag", "1"], state });
    }
  });

  it("NR / VR: prefix puts the server's id before the application's value", () => {
    expect(respond(PREFIX, ["set-cookie", "SRV=app2; path=/"], { direct: true })).toEqual({ headers: ["set-cookie", "SRV=a~app2; path=/"], state: "R" });
    expect(respond(PREFIX, ["set-cookie", "SRV="])).toEqual({ headers: ["set-cookie", "SRV=a~"], state: "R" });
  });

  it("prefix indirect: removes the application's cookie on a direct request, prefixes it otherwise", () => {
    expect(respond(PREFIX_INDIRECT, ["set-cookie", "SRV=app2; path=/"], { direct: true })).toEqual({ headers: [], state: "D" });
    expect(respond(PREFIX_INDIRECT, ["set-cookie", "SRV=app2; path=/"])).toEqual({ headers: ["set-cookie", "SRV=a~app2; path=/"], state: "R" });
  });

  it("NP: a server without a cookie value leaves the application's cookie as it is", () => {
    expect(respond(REWRITE, ["set-cookie", "SRV=x"], { serverCookie: undefined })).toEqual({ headers: ["set-cookie", "SRV=x"], state: "P" });
  });

  it("passes interim responses untouched", () => {
    const headers = ["set-cookie", "SRV=x"];
    expect(respond(INSERT, headers, { status: 100 })).toEqual({ headers, state: "N" });
  });
});

describe("responseIsCacheable", () => {
  it.each([
    ["GET", [], false],
    ["GET", ["cache-control", "max-age=60"], true],
    ["GET", ["cache-control", "public"], false],
    ["GET", ["expires", "Thu, 01 Jan 2037 00:00:00 GMT"], true],
    ["GET", ["expires", "x"], true],
    ["GET", ["etag", '"x"'], true],
    ["GET", ["last-modified", "Thu, 01 Jan 2015 00:00:00 GMT"], true],
    ["HEAD", ["etag", "1"], true],
    ["OPTIONS", ["etag", "1"], true],
    ["TRACE", ["etag", "1"], true],
    ["DELETE", ["etag", "1"], false],
    ["PUT", ["etag", "1"], false],
    ["get", ["etag", "1"], false],
    ["POST", ["cache-control", "public"], false],
    ["POST", ["cache-control", "max-age=60"], false],
    ["POST", ["cache-control", "public, max-age=60"], true],
    ["GET", ["cache-control", "max-age=60, private"], false],
    ["GET", ["cache-control", "private, public, max-age=5"], true],
    ["GET", ["cache-control", "public, private, max-age=5"], false],
    ["GET", ["pragma", "no-cache", "cache-control", "public, max-age=5"], false],
    ["GET", ["pragma", "x", "pragma", "no-cache", "etag", "1"], true],
    ["GET", ["pragma", "No-Cache", "etag", "1"], false],
    ["GET", ["cache-control", "PRIVATE", "etag", "1"], false],
    ["GET", ["cache-control", 'private="x"', "etag", "1"], true],
    ["GET", ["cache-control", "max-age=0"], false],
    ["GET", ["cache-control", "max-age=00"], true],
    ["GET", ["cache-control", "max-agex"], true],
    ["GET", ["cache-control", "s-maxage=0, max-age=5"], false],
    ["GET", ["cache-control", 'no-cache="set-cookie"', "expires", "x"], true],
    ["GET", ["cache-control", 'no-cache="set-cookie", public'], false],
    ["GET", ["cache-control", "max-age=5", "cache-control", "no-store"], false],
  ])("%s %j → %s", (method, headers, cacheable) => {
    expect(responseIsCacheable(method, 200, headers)).toBe(cacheable);
  });

  it("never for an interim response", () => {
    expect(responseIsCacheable("GET", 101, ["etag", "1"])).toBe(false);
  });
});
