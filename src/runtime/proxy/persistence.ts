/**
 * Cookie persistence for one request, between the pure cookie rules (http/cookie-persistence.ts)
 * and the exchange: which server the request's cookie pins, the request headers to forward, the
 * response headers to send, and the two cookie characters of the log's termination state.
 */
import { findCookieServer, readPersistenceCookie, responseCookieHeaders } from "../http/cookie-persistence.js";
import type { RequestHead } from "../http/wire-parser.js";
import type { RequestCookieState, ResponseCookieState, TerminationState } from "../log/index.js";
import type { BackendRuntime } from "./backend-runtime.js";
import type { LiveServer } from "./live-server.js";

export class RequestPersistence {
  responseState: ResponseCookieState = "N";

  constructor(
    /** The server a valid cookie names, or null to balance. */
    readonly server: LiveServer | null,
    /** The request headers to forward (the cookie removed with `insert indirect`). */
    readonly headers: readonly string[],
    readonly requestState: RequestCookieState | null,
    readonly lastSeen: number,
    readonly firstSeen: number,
  ) {}

  /** The cookie characters of `%tsc`; none when the backend has no cookie. */
  logState(_termination: TerminationState): Pick<TerminationState, "requestCookie" | "responseCookie"> {
    if (this.requestState === null) return {};
    return { requestCookie: this.requestState, responseCookie: this.responseState };
  }
}

export function requestPersistence(backend: BackendRuntime, head: RequestHead): RequestPersistence {
  const cookie = backend.cookie;
  if (!cookie) return new RequestPersistence(null, head.headers, null, 0, 0);
  const read = readPersistenceCookie(head.headers, cookie);
  const match = findCookieServer(read.values, backend.servers);
  return new RequestPersistence(match.server, read.headers, match.state, read.lastSeen, read.firstSeen);
}

/** The response headers after the cookie rules; records the response cookie state for the log. */
export function responsePersistence(
  backend: BackendRuntime,
  persistence: RequestPersistence,
  server: LiveServer,
  headers: string[],
  method: string,
  status: number,
): string[] {
  const cookie = backend.cookie;
  if (!cookie) return headers;
  const result = responseCookieHeaders(headers, cookie, {
    serverCookie: server.cookie,
    direct: persistence.requestState === "V" && persistence.server === server,
    method,
    status,
    lastSeen: persistence.lastSeen,
    firstSeen: persistence.firstSeen,
  });
  persistence.responseState = result.state;
  return [...result.headers];
}
