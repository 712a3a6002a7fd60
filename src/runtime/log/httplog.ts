/**
 * One line per HTTP request in HAProxy 2.6's `option httplog` format (configuration.txt §8.2.3):
 *
 *   %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r
 *   127.0.0.1:43648 [25/Nov/2026:02:18:58.674] fe be/s1 0/0/0/1/1 200 150 - - ---- 1/1/0/0/0 0/0 "GET /b?c HTTP/1.1"
 *
 * Header captures (`%hr %hs`) produce nothing without `capture request/response header`, and halb
 * writes none, so the line goes straight from the queues to the request; cookie captures likewise
 * print `- -`. A JSON variant carries the same fields, one object per line.
 */
import { formatLogDate } from "./log-date.js";
import { loadFields, loadJson, logClientAddress, orMinusOne, type LoadFacts } from "./log-line.js";
import { httpTerminationText, type TerminationState } from "./termination.js";

/** The server field when the request reached no server (no backend matched, none UP, refused everywhere…). */
export const NO_SERVER = "<NOSRV>";
/** The server field for requests the stats page answered. */
export const STATS_SERVER = "<STATS>";

/** The timers of §8.4, in milliseconds; null when the stage was not reached (printed `-1`). */
export interface HttpTimers {
  /** `TR`: from the first byte of the request to its complete headers. */
  readonly request: number | null;
  /** `Tw`: in queues. */
  readonly queue: number | null;
  /** `Tc`: establishing the connection to the server. */
  readonly connect: number | null;
  /** `Tr`: from the request sent to the server's complete response headers. */
  readonly response: number | null;
  /** `Ta`: from the first byte of the request to the last byte of the response. */
  readonly active: number;
}

export interface HttpLogRecord extends LoadFacts {
  readonly clientAddress: string;
  readonly clientPort: number;
  /** `%tr`: when the request's first byte arrived (Date.now() style). */
  readonly requestDate: number;
  readonly frontend: string;
  /** The backend; the frontend's own name when the request never got one (HAProxy logs `fe fe/<NOSRV>`). */
  readonly backend: string;
  /** The server's name, NO_SERVER or STATS_SERVER. */
  readonly server: string;
  readonly timers: HttpTimers;
  /** The status sent to the client; null when none was (printed `-1`). */
  readonly status: number | null;
  /** `%B`: bytes sent to the client, headers included. */
  readonly bytesSent: number;
  readonly termination: TerminationState;
  /** The request line as received (`GET / HTTP/1.1`); null when there was no valid request (`<BADREQ>`). */
  readonly requestLine: string | null;
}

export function formatHttpLog(record: HttpLogRecord): string {
  const { timers } = record;
  return [
    `${logClientAddress(record.clientAddress)}:${record.clientPort}`,
    `[${formatLogDate(record.requestDate)}]`,
    record.frontend,
    `${record.backend}/${record.server}`,
    [timers.request, timers.queue, timers.connect, timers.response, timers.active].map(orMinusOne).join("/"),
    orMinusOne(record.status),
    String(record.bytesSent),
    "-",
    "-",
    httpTerminationText(record.termination),
    ...loadFields(record),
    `"${record.requestLine === null ? "<BADREQ>" : encodeRequestLine(record.requestLine)}"`,
  ].join(" ");
}

/** The same facts as one JSON object (no newline); missing timers and status are null, the date ISO 8601. */
export function formatHttpLogJson(record: HttpLogRecord): string {
  const { timers } = record;
  return JSON.stringify({
    client_ip: logClientAddress(record.clientAddress),
    client_port: record.clientPort,
    request_date: new Date(record.requestDate).toISOString(),
    frontend_name: record.frontend,
    backend_name: record.backend,
    server_name: record.server,
    time_request: timers.request,
    time_queue: timers.queue,
    time_connect: timers.connect,
    time_response: timers.response,
    time_active: timers.active,
    status_code: record.status,
    bytes_sent: record.bytesSent,
    captured_request_cookie: null,
    captured_response_cookie: null,
    termination_state: httpTerminationText(record.termination),
    ...loadJson(record),
    http_request: record.requestLine,
  });
}

/**
 * HAProxy's log encoding of `%r` (src/log.c, url_encode_map): control characters, bytes from 0x7F
 * up, `"` and `#` become `#XX` (upper-case hex); characters beyond Latin-1 are encoded as their
 * UTF-8 bytes.
 */
export function encodeRequestLine(line: string): string {
  let out = "";
  for (const char of line) {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f && char !== '"' && char !== "#") out += char;
    else if (code <= 0xff) out += hexEscape(code);
    else for (const byte of Buffer.from(char, "utf8")) out += hexEscape(byte);
  }
  return out;
}

function hexEscape(byte: number): string {
  return `#${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}
