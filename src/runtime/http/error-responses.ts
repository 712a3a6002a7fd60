/**
 * The responses HAProxy 2.6 writes itself when it cannot or will not forward a request, byte for
 * byte as 2.6.12 sends them (measured on loopback, see test/runtime/http/haproxy-http-compare.test.ts).
 *
 * HAProxy has two writers and they do not look alike:
 * - The HTTP/1 connection layer answers requests it could not parse (400) or that did not arrive
 *   in time (408). It sends its raw error text: mixed-case names, `Content-length` first,
 *   `Connection: close`, and closes.
 * - The stream answers everything else (no server 503, 502, 504, deny 403…). Those responses go
 *   through the HTTP/1 writer: lower-case names, no `Connection` header, and the connection stays
 *   open for the next request unless the client asked otherwise, in which case `connection: close`
 *   (or `connection: keep-alive` for an HTTP/1.0 keep-alive client) is added last.
 * 431 is halb's own (issue: oversized header blocks get 431, where HAProxy sends its 400); it
 * follows the connection-layer 400 it replaces.
 */

export const ERROR_STATUSES = [400, 401, 403, 408, 431, 500, 502, 503, 504] as const;

export type ErrorStatus = (typeof ERROR_STATUSES)[number];

/** What the HTTP/1 writer says about the connection, when it says anything. */
export type ConnectionHeader = "close" | "keep-alive";

export interface ErrorResponseOptions {
  /**
   * Adds `connection: close` (the client sent `Connection: close`, or spoke HTTP/1.0 without
   * keep-alive) or `connection: keep-alive` (an HTTP/1.0 client that asked for it). Statuses that
   * always close carry `Connection: close` already and ignore this.
   */
  readonly connection?: ConnectionHeader | undefined;
}

interface ErrorMessage {
  readonly reason: string;
  readonly detail: string;
  /** Written by the connection layer: raw text, then close. */
  readonly connectionLevel: boolean;
}

// Reasons and texts as HAProxy 2.6.12 sends them (its 500 text differs from older releases').
const MESSAGES: Readonly<Record<ErrorStatus, ErrorMessage>> = {
  400: { reason: "Bad request", detail: "Your browser sent an invalid request.", connectionLevel: true },
  401: { reason: "Unauthorized", detail: "You need a valid user and password to access this content.", connectionLevel: false },
  403: { reason: "Forbidden", detail: "Request forbidden by administrative rules.", connectionLevel: false },
  408: { reason: "Request Time-out", detail: "Your browser didn't send a complete request in time.", connectionLevel: true },
  // halb's, not HAProxy's: worded in HAProxy's style.
  431: { reason: "Request Header Fields Too Large", detail: "Your request's headers are too large.", connectionLevel: true },
  500: { reason: "Internal Server Error", detail: "An internal server error occurred.", connectionLevel: false },
  502: { reason: "Bad Gateway", detail: "The server returned an invalid or incomplete response.", connectionLevel: false },
  503: { reason: "Service Unavailable", detail: "No server is available to handle this request.", connectionLevel: false },
  504: { reason: "Gateway Time-out", detail: "The server didn't respond in time.", connectionLevel: false },
};

/**
 * HAProxy's `%B` counts its internal (HTX) message, not wire bytes: a 20-byte start-line record plus
 * version, code and reason, each header's name and value without separators, one byte for the end
 * of headers, then the body. Connection-layer errors are logged with 0 bytes.
 */
const HTX_START_LINE_RECORD = 20;
const HTX_END_OF_HEADERS = 1;

interface PreparedError {
  readonly bodyLength: number;
  readonly loggedBytes: number;
  readonly closes: boolean;
  readonly plain: Buffer;
  readonly withClose: Buffer;
  readonly withKeepAlive: Buffer;
}

function prepare(status: ErrorStatus): PreparedError {
  const { reason, detail, connectionLevel } = MESSAGES[status];
  const body = `<html><body><h1>${status} ${reason}</h1>\n${detail}\n</body></html>\n`;
  const statusLine = `HTTP/1.1 ${status} ${reason}\r\n`;
  if (connectionLevel) {
    const bytes = Buffer.from(
      `${statusLine}Content-length: ${body.length}\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n${body}`,
      "latin1",
    );
    return { bodyLength: body.length, loggedBytes: 0, closes: true, plain: bytes, withClose: bytes, withKeepAlive: bytes };
  }
  const headers: readonly (readonly [string, string])[] = [
    ["content-length", String(body.length)],
    ["cache-control", "no-cache"],
    ["content-type", "text/html"],
  ];
  const head = statusLine + headers.map(([name, value]) => `${name}: ${value}\r\n`).join("");
  const build = (connection: string): Buffer => Buffer.from(`${head}${connection}\r\n${body}`, "latin1");
  const headerBytes = headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  return {
    bodyLength: body.length,
    loggedBytes: HTX_START_LINE_RECORD + "HTTP/1.1".length + 3 + reason.length + headerBytes + HTX_END_OF_HEADERS + body.length,
    closes: false,
    plain: build(""),
    withClose: build("connection: close\r\n"),
    withKeepAlive: build("connection: keep-alive\r\n"),
  };
}

const PREPARED = new Map<number, PreparedError>(ERROR_STATUSES.map((status) => [status, prepare(status)]));

function prepared(status: number): PreparedError {
  const found = PREPARED.get(status);
  if (found === undefined) throw new TypeError(`no HAProxy error response for status ${status}`);
  return found;
}

export function isErrorStatus(status: number): status is ErrorStatus {
  return PREPARED.has(status);
}

/** The complete response, head and body. The Buffer is shared between calls: never modify it. */
export function errorResponse(status: ErrorStatus, options?: ErrorResponseOptions): Buffer {
  const entry = prepared(status);
  switch (options?.connection) {
    case "close":
      return entry.withClose;
    case "keep-alive":
      return entry.withKeepAlive;
    default:
      return entry.plain;
  }
}

export function errorBodyLength(status: ErrorStatus): number {
  return prepared(status).bodyLength;
}

/** What HAProxy's log shows as `%B` for this response (see HTX_START_LINE_RECORD). */
export function errorLoggedBytes(status: ErrorStatus): number {
  return prepared(status).loggedBytes;
}

/**
 * Whether HAProxy closes the client connection after sending this response whatever the client
 * asked: the connection-layer errors do; the others keep a keep-alive connection open.
 */
export function closesConnection(status: ErrorStatus): boolean {
  return prepared(status).closes;
}
