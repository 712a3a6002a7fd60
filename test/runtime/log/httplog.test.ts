import { describe, expect, it } from "vitest";
import { encodeRequestLine, formatHttpLog, formatHttpLogJson, type HttpLogRecord, NO_SERVER } from "../../../src/runtime/log/httplog.js";
import { formatLogDate } from "../../../src/runtime/log/log-date.js";
import { fitLogLine } from "../../../src/runtime/log/log-line.js";

/** Local time, as HAProxy's %tr: 25 Nov 2026 02:10:35.123. */
const DATE = new Date(2026, 10, 25, 2, 10, 35, 123).getTime();

const served: HttpLogRecord = {
  clientAddress: "127.0.0.1",
  clientPort: 43648,
  requestDate: DATE,
  frontend: "fe",
  backend: "be",
  server: "s1",
  timers: { request: 0, queue: 0, connect: 0, response: 1, active: 1 },
  status: 200,
  bytesSent: 150,
  termination: { cause: "-", phase: "-" },
  connections: { process: 1, frontend: 1, backend: 0, server: 0 },
  retries: 0,
  redispatched: false,
  queues: { server: 0, backend: 0 },
  requestLine: "GET /b?c HTTP/1.1",
};

describe("formatHttpLog", () => {
  it("writes HAProxy's httplog layout", () => {
    expect(formatHttpLog(served)).toBe(
      '127.0.0.1:43648 [25/Nov/2026:02:10:35.123] fe be/s1 0/0/0/1/1 200 150 - - ---- 1/1/0/0/0 0/0 "GET /b?c HTTP/1.1"',
    );
  });

  it("prints -1 for stages not reached and <NOSRV> when no server was", () => {
    const refused: HttpLogRecord = {
      ...served,
      server: NO_SERVER,
      timers: { request: 0, queue: null, connect: null, response: null, active: 0 },
      status: 503,
      bytesSent: 217,
      termination: { cause: "S", phase: "C" },
      requestLine: "GET /a HTTP/1.1",
    };
    expect(formatHttpLog(refused)).toBe('127.0.0.1:43648 [25/Nov/2026:02:10:35.123] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /a HTTP/1.1"');
  });

  it("writes <BADREQ> without a request, -1 without a status, + after a redispatch, cookie flags", () => {
    const line = formatHttpLog({
      ...served,
      status: null,
      requestLine: null,
      retries: 3,
      redispatched: true,
      termination: { cause: "c", phase: "R", requestCookie: "N", responseCookie: "I" },
    });
    expect(line).toBe('127.0.0.1:43648 [25/Nov/2026:02:10:35.123] fe be/s1 0/0/0/1/1 -1 150 - - cRNI 1/1/0/0/+3 0/0 "<BADREQ>"');
  });

  it("prints IPv4-mapped client addresses as IPv4, IPv6 as is", () => {
    expect(formatHttpLog({ ...served, clientAddress: "::ffff:10.0.1.2" })).toMatch(/^10\.0\.1\.2:43648 /);
    expect(formatHttpLog({ ...served, clientAddress: "::1" })).toMatch(/^::1:43648 /);
  });

  it("encodes the request line as HAProxy does", () => {
    expect(encodeRequestLine('GET /a"b#c%20 HTTP/1.1')).toBe("GET /a#22b#23c%20 HTTP/1.1");
    expect(encodeRequestLine("GET /\t\u007f\u00e9 HTTP/1.1")).toBe("GET /#09#7F#E9 HTTP/1.1");
    expect(encodeRequestLine("GET /€ HTTP/1.1")).toBe("GET /#E2#82#AC HTTP/1.1");
    expect(encodeRequestLine("GET /{|}~ HTTP/1.1")).toBe("GET /{|}~ HTTP/1.1");
  });
});

describe("formatHttpLogJson", () => {
  it("carries the same fields, named", () => {
    expect(JSON.parse(formatHttpLogJson({ ...served, timers: { ...served.timers, queue: null } }))).toEqual({
      client_ip: "127.0.0.1",
      client_port: 43648,
      request_date: new Date(DATE).toISOString(),
      frontend_name: "fe",
      backend_name: "be",
      server_name: "s1",
      time_request: 0,
      time_queue: null,
      time_connect: 0,
      time_response: 1,
      time_active: 1,
      status_code: 200,
      bytes_sent: 150,
      captured_request_cookie: null,
      captured_response_cookie: null,
      termination_state: "----",
      actconn: 1,
      feconn: 1,
      beconn: 0,
      srv_conn: 0,
      retries: 0,
      redispatched: false,
      srv_queue: 0,
      backend_queue: 0,
      http_request: "GET /b?c HTTP/1.1",
    });
    expect(formatHttpLogJson(served)).not.toContain("\n");
  });
});

describe("log dates and lengths", () => {
  it("pads every part", () => {
    expect(formatLogDate(new Date(2027, 0, 5, 7, 8, 9, 4).getTime())).toBe("05/Jan/2027:07:08:09.004");
  });

  it("cuts lines at the log target's length, newline included", () => {
    expect(fitLogLine("x".repeat(2000))).toHaveLength(1023);
    expect(fitLogLine("short")).toBe("short");
    expect(fitLogLine("abcdef", 4)).toBe("abc");
  });
});
