import { describe, expect, it } from "vitest";
import {
  closesConnection,
  errorBodyLength,
  errorLoggedBytes,
  errorResponse,
  ERROR_STATUSES,
  isErrorStatus,
  type ErrorStatus,
} from "../../../src/runtime/http/error-responses.js";

// Captured from HAProxy 2.6.12 on loopback (the differential test checks them again).
const STREAM_HEAD = (status: string, length: number): string =>
  `HTTP/1.1 ${status}\r\ncontent-length: ${length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n`;

const MEASURED_503 =
  STREAM_HEAD("503 Service Unavailable", 107) +
  "\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";

const MEASURED_400 =
  "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" +
  "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n";

const MEASURED_408 =
  "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" +
  "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n";

const MEASURED_BODIES: Readonly<Record<Exclude<ErrorStatus, 431>, string>> = {
  400: "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n",
  401: "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
  403: "<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n",
  408: "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n",
  500: "<html><body><h1>500 Internal Server Error</h1>\nAn internal server error occurred.\n</body></html>\n",
  502: "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n",
  503: "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n",
  504: "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n",
};

/** `%B` in HAProxy's log line for each response. */
const MEASURED_LOGGED_BYTES: Readonly<Record<ErrorStatus, number>> = {
  400: 0,
  401: 215,
  403: 192,
  408: 0,
  431: 0,
  500: 208,
  502: 209,
  503: 217,
  504: 198,
};

function text(buffer: Buffer): string {
  return buffer.toString("latin1");
}

describe("errorResponse", () => {
  it("sends the stream's 503 with lower-case names and no Connection header", () => {
    expect(text(errorResponse(503))).toBe(MEASURED_503);
  });

  it("adds the connection header last when the client's connection mode calls for it", () => {
    const [head, body] = MEASURED_503.split("\r\n\r\n");
    expect(text(errorResponse(503, { connection: "close" }))).toBe(`${head}\r\nconnection: close\r\n\r\n${body}`);
    expect(text(errorResponse(503, { connection: "keep-alive" }))).toBe(`${head}\r\nconnection: keep-alive\r\n\r\n${body}`);
  });

  it("sends the connection layer's raw 400 and 408, whatever the option", () => {
    expect(text(errorResponse(400))).toBe(MEASURED_400);
    expect(text(errorResponse(408))).toBe(MEASURED_408);
    expect(text(errorResponse(400, { connection: "keep-alive" }))).toBe(MEASURED_400);
    expect(text(errorResponse(408, { connection: "close" }))).toBe(MEASURED_408);
  });

  it("has HAProxy 2.6.12's body for every status it shares with HAProxy", () => {
    for (const [status, body] of Object.entries(MEASURED_BODIES)) {
      const response = text(errorResponse(Number(status) as ErrorStatus));
      expect(response.endsWith(`\r\n\r\n${body}`)).toBe(true);
      expect(errorBodyLength(Number(status) as ErrorStatus)).toBe(body.length);
    }
  });

  it("answers an oversized header block with halb's 431 in the style of the 400 it replaces", () => {
    const body = "<html><body><h1>431 Request Header Fields Too Large</h1>\nYour request's headers are too large.\n</body></html>\n";
    expect(text(errorResponse(431))).toBe(
      `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-length: ${body.length}\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n${body}`,
    );
    expect(closesConnection(431)).toBe(true);
  });

  it("declares a Content-length equal to the body for every status", () => {
    for (const status of ERROR_STATUSES) {
      const response = text(errorResponse(status));
      const declared = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(response)?.[1]);
      expect(declared).toBe(response.length - response.indexOf("\r\n\r\n") - 4);
      expect(declared).toBe(errorBodyLength(status));
    }
  });

  it("returns the same Buffer each time", () => {
    expect(errorResponse(502)).toBe(errorResponse(502));
    expect(errorResponse(502, { connection: "close" })).toBe(errorResponse(502, { connection: "close" }));
    expect(errorResponse(502)).not.toBe(errorResponse(502, { connection: "close" }));
  });

  it("refuses a status it has no response for", () => {
    expect(() => errorResponse(404 as ErrorStatus)).toThrow(TypeError);
    expect(() => closesConnection(200 as ErrorStatus)).toThrow(TypeError);
    expect(isErrorStatus(404)).toBe(false);
    expect(isErrorStatus(504)).toBe(true);
  });
});

describe("closesConnection", () => {
  it("closes after the connection layer's errors and keeps the connection after the stream's", () => {
    const closing = ERROR_STATUSES.filter((status) => closesConnection(status));
    expect(closing).toEqual([400, 408, 431]);
  });
});

describe("errorLoggedBytes", () => {
  it("counts what HAProxy's %B shows, not the bytes on the wire", () => {
    for (const status of ERROR_STATUSES) expect(errorLoggedBytes(status)).toBe(MEASURED_LOGGED_BYTES[status]);
    expect(errorResponse(503).length).toBe(214);
  });
});
