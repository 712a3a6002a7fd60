/**
 * Cookie persistence as HAProxy 2.6 does it (`cookie NAME insert|rewrite|prefix [indirect]
 * [nocache] [httponly] [secure]`): reading the cookie a request carries and cleaning it out of the
 * request, choosing the server it names, and fixing the response's Set-Cookie headers, with the two
 * letters the log shows for each side (configuration.txt §8.5).
 *
 * The parsing is a port of src/http_ana.c (http_manage_client_side_cookies,
 * http_manage_server_side_cookies, http_check_response_for_cacheability) because browsers send
 * cookie headers of every shape and the server must see exactly what HAProxy would forward; where
 * 2.6.12 behaves differently from that code's older versions, the comments say what was measured.
 *
 * Headers are flat `[name, value, …]` arrays with lower-case names. Input arrays are never
 * modified; when nothing changes the input array itself is returned.
 */
import type { IrCookie } from "../../ir/types.js";
import type { RequestCookieState, ResponseCookieState } from "../log/termination.js";

/** The IR's cookie with its name resolved. */
export type PersistenceCookie = Omit<IrCookie, "name"> & { readonly name: string };

// ---------------------------------------------------------------------------------------------
// Request side

export interface RequestCookies {
  /** The server part of the first occurrence of the cookie (`""` when empty), null when absent. */
  readonly value: string | null;
  /** The server part of every occurrence, in order: HAProxy tries each (see findCookieServer). */
  readonly values: readonly string[];
  /**
   * The dates (seconds since the epoch, 0 when absent) a cookie written with `maxidle`/`maxlife`
   * carries after `|`. halb never writes them, but a client may still send them and HAProxy then
   * refreshes the cookie (see ResponseCookieContext).
   */
  readonly lastSeen: number;
  readonly firstSeen: number;
  /** The request headers to forward. */
  readonly headers: readonly string[];
}

const NO_VALUES: readonly string[] = [];

/**
 * Reads the persistence cookie from every `cookie` header and returns the headers to forward:
 * `insert indirect` removes the cookie (and a header left empty), `prefix` strips `SERVER~` from
 * the application's cookie, and any cookie written with spaces around `=` loses them.
 */
export function readPersistenceCookie(headers: readonly string[], cookie: PersistenceCookie): RequestCookies {
  let forwarded: string[] | null = null;
  const scan: CookieScan = { values: null, lastSeen: 0, firstSeen: 0 };
  for (let index = 0; index < headers.length; index += 2) {
    const name = headers[index]!;
    const value = headers[index + 1]!;
    const kept = name === "cookie" ? scanCookieHeader(value, cookie, scan) : value;
    if (kept === value) {
      forwarded?.push(name, value);
      continue;
    }
    forwarded ??= headers.slice(0, index);
    if (kept !== null) forwarded.push(name, kept);
  }
  return {
    value: scan.values?.[0] ?? null,
    values: scan.values ?? NO_VALUES,
    lastSeen: scan.lastSeen,
    firstSeen: scan.firstSeen,
    headers: forwarded ?? headers,
  };
}

interface CookieScan {
  /** null until the cookie is seen (most requests never allocate it). */
  values: string[] | null;
  lastSeen: number;
  firstSeen: number;
}

/** HAProxy's separator between the server's id and the application's value in prefix mode. */
const PREFIX_DELIMITER = "~";
/** HAProxy's separator before the dates in insert/rewrite mode. */
const DATE_DELIMITER = "|";

/**
 * One `cookie` header line, walked like HAProxy walks it: returns the value to forward (the same
 * string when unchanged, null to drop the line) and records what it found in `scan`.
 */
function scanCookieHeader(header: string, cookie: PersistenceCookie, scan: CookieScan): string | null {
  const prefixMode = cookie.method === "prefix";
  const removeOurs = cookie.method === "insert" && cookie.indirect;
  let text = header;
  let end = text.length;
  let deleteFrom = -1; // start of our cookie(s) waiting to be cut, -1 when none
  let keepLine = false; // some other cookie must stay on this line
  let next = 0;
  // Another cookie starts at `cookieStart` and stays: cut ours pending before it now.
  const keepBefore = (cookieStart: number): void => {
    keepLine = true;
    if (deleteFrom < 0) return;
    const cut = deleteValue(text, end, deleteFrom, cookieStart);
    text = cut.text;
    next += cut.delta;
    end += cut.delta;
    deleteFrom = -1;
  };
  for (let prev = 0, first = true; prev < end; prev = next) {
    let nameStart = first ? prev : prev + 1; // skip the delimiter that ended the previous cookie
    first = false;
    while (nameStart < end && isSpaceOrTab(text, nameStart)) nameStart++;

    let equal = nameStart;
    let nameEnd = nameStart;
    while (equal < end) {
      const char = text[equal];
      if (char === "=" || char === "," || char === ";") break;
      equal++;
      if (char !== " " && char !== "\t") nameEnd = equal;
    }

    let valueStart: number;
    let valueEnd: number;
    if (equal < end && text[equal] === "=") {
      valueStart = equal + 1;
      while (valueStart < end && isSpaceOrTab(text, valueStart)) valueStart++;
      next = cookieValueEnd(text, valueStart, end);
      valueEnd = next;
      while (valueEnd > valueStart && isSpaceOrTab(text, valueEnd - 1)) valueEnd--;
    } else {
      valueStart = valueEnd = next = equal;
    }

    // RFC 2109 attributes ($Version, $Path…) belong to the cookie before them.
    if (text[nameStart] === "$") continue;

    if (equal === next) {
      // No '=': not a cookie we know.
      keepBefore(prev);
      continue;
    }

    if (nameEnd !== equal || valueStart > equal + 1) {
      // Spaces around '=' go, for every cookie.
      let shift = 0;
      if (nameEnd !== equal) {
        text = text.slice(0, nameEnd) + text.slice(equal);
        shift = nameEnd - equal;
        equal += shift;
        valueStart += shift;
      }
      if (valueStart > equal + 1) {
        text = text.slice(0, equal + 1) + text.slice(valueStart);
        const after = equal + 1 - valueStart;
        valueStart += after;
        shift += after;
      }
      valueEnd += shift;
      next += shift;
      end += shift;
    }

    const isOurs = nameEnd - nameStart === cookie.name.length && text.startsWith(cookie.name, nameStart);
    if (!isOurs) {
      keepBefore(prev);
      continue;
    }

    let serverEnd = valueEnd;
    if (prefixMode) {
      const tilde = text.indexOf(PREFIX_DELIMITER, valueStart);
      if (tilde >= 0 && tilde < valueEnd) serverEnd = tilde;
    } else {
      serverEnd = readDates(text, valueStart, valueEnd, scan);
    }
    (scan.values ??= []).push(text.slice(valueStart, serverEnd));

    if (prefixMode && serverEnd !== valueEnd) {
      // The server gets its own cookie back, without our prefix.
      text = text.slice(0, valueStart) + text.slice(serverEnd + 1);
      const delta = valueStart - (serverEnd + 1);
      next += delta;
      end += delta;
      deleteFrom = -1;
      keepLine = true;
    } else if (deleteFrom < 0 && removeOurs) {
      deleteFrom = prev;
    }
  }

  if (deleteFrom >= 0) end = keepLine ? deleteFrom : 0;
  if (end === header.length) return header;
  return end === 0 ? null : text.slice(0, end);
}

/**
 * `SERVER|LASTSEEN|FIRSTSEEN`: records the dates (5 base64 characters each, in 4-second units) and
 * returns where the server's id ends.
 */
function readDates(text: string, valueStart: number, valueEnd: number, scan: CookieScan): number {
  const bar = text.indexOf(DATE_DELIMITER, valueStart);
  if (bar < 0 || bar >= valueEnd) return valueEnd;
  const lastStart = bar + 1;
  if (valueEnd - lastStart >= 5) {
    const value = base64ToInt30(text, lastStart);
    // HAProxy keeps the date in a signed 32-bit int: values from 2^31 on read as the past.
    if (value > 0) scan.lastSeen = value << 2;
  }
  const secondBar = text.indexOf(DATE_DELIMITER, lastStart);
  if (secondBar >= 0 && secondBar < valueEnd && valueEnd - secondBar > 5) {
    const value = base64ToInt30(text, secondBar + 1);
    if (value > 0) scan.firstSeen = value << 2;
  }
  return bar;
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** HAProxy's b64tos30: five base64 digits, most significant first; -1 on any other character. */
function base64ToInt30(text: string, start: number): number {
  let value = 0;
  for (let offset = 0; offset < 5; offset++) {
    const digit = BASE64_ALPHABET.indexOf(text[start + offset] ?? "=");
    if (digit < 0) return -1;
    value = (value << 6) + digit;
  }
  return value;
}

/**
 * HAProxy's http_del_hdr_value: cuts `[from, next)` out of a cookie header. Removing the first
 * cookie also eats its delimiter and the spaces after it; removing a later one keeps one
 * delimiter and puts a single space after it.
 */
function deleteValue(text: string, end: number, from: number, next: number): { text: string; delta: number } {
  let destination = from;
  let source = next;
  let kept = "";
  if (destination === 0) {
    if (source < end) source++;
    while (source < end && isSpaceOrTab(text, source)) source++;
  } else {
    while (destination > 0 && isSpaceOrTab(text, destination - 1)) destination--;
    if (source < end) {
      kept = text[source]!;
      source++;
      if (destination + 2 < source) kept += " ";
      while (source < end && isSpaceOrTab(text, source)) source++;
    }
  }
  return {
    text: text.slice(0, destination) + kept + text.slice(source, end),
    delta: destination + kept.length - source,
  };
}

/** A cookie value ends at an unquoted `;` or `,` (http_find_cookie_value_end). */
function cookieValueEnd(text: string, start: number, end: number): number {
  let quoted = false;
  let escaped = false;
  for (let index = start; index < end; index++) {
    const char = text[index];
    if (escaped) escaped = false;
    else if (quoted) {
      if (char === "\\") escaped = true;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "," || char === ";") return index;
  }
  return end;
}

function isSpaceOrTab(text: string, index: number): boolean {
  const char = text[index];
  return char === " " || char === "\t";
}

// ---------------------------------------------------------------------------------------------
// Choosing the server

/** What persistence needs to know about a server; the core's own server objects can carry it. */
export interface CookieServer {
  /** The server's `cookie` value, undefined when it has none. */
  readonly cookie?: string | undefined;
  /**
   * HAProxy's `cur_state != STOPPED`: true while the server is up, draining or going down; false
   * when a check took it DOWN or it is in maintenance (`disabled`). A draining server still takes
   * the requests its cookie sends it.
   */
  readonly running: boolean;
}

export interface CookieMatch<S> {
  /** The server the request must go to, bypassing load balancing; null → balance normally. */
  readonly server: S | null;
  /** N no cookie, I unknown or empty value, D its server is not running, V valid. */
  readonly state: Extract<RequestCookieState, "N" | "I" | "D" | "V">;
}

/**
 * The server named by the request's cookie, servers taken in declaration order (several may share
 * a value: the first running one wins). Each occurrence is tried in turn; once one is valid the
 * rest change nothing (2.6.12 logs `V` for `SRV=a; SRV=zz`), a `D` is not overwritten by a later
 * unknown value, and a later valid one overrides `I` and `D`.
 */
export function findCookieServer<S extends CookieServer>(values: readonly string[], servers: readonly S[]): CookieMatch<S> {
  let state: CookieMatch<S>["state"] = "N";
  for (const value of values) {
    if (value !== "") {
      for (const server of servers) {
        if (server.cookie !== value) continue;
        if (server.running) return { server, state: "V" };
        state = "D";
      }
    }
    if (state !== "D") state = "I";
  }
  return { server: null, state };
}

// ---------------------------------------------------------------------------------------------
// Response side

export interface ResponseCookieContext {
  /** The `cookie` value of the server that answered; undefined when it has none. */
  readonly serverCookie: string | undefined;
  /**
   * The request went to this server because of its cookie (HAProxy's SF_DIRECT): the request's
   * state was V and it was not redispatched elsewhere afterwards.
   */
  readonly direct: boolean;
  /** The request method as received; case matters (HAProxy only knows upper-case methods). */
  readonly method: string;
  readonly status: number;
  /** RequestCookies.lastSeen / firstSeen; 0 or absent when none. */
  readonly lastSeen?: number | undefined;
  readonly firstSeen?: number | undefined;
  /** Seconds since the epoch, for lastSeen; defaults to now. */
  readonly now?: number | undefined;
}

export interface ResponseCookies {
  readonly headers: readonly string[];
  /**
   * N nothing, P the server set our cookie and it passed untouched, D it was removed, I one was
   * inserted, R the server's was rewritten or prefixed, U a valid cookie was refreshed.
   */
  readonly state: Extract<ResponseCookieState, "N" | "P" | "D" | "I" | "R" | "U">;
}

const EXPIRED_COOKIE = "=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/";

/**
 * The response headers to send: our cookie in the server's Set-Cookie removed (insert mode, or a
 * direct request with `indirect`), rewritten (rewrite) or prefixed (prefix); in insert mode a
 * `set-cookie` appended after the server's headers when the request did not come straight to this
 * server, and `cache-control: private` after it with `nocache` when the response is cacheable
 * (responseIsCacheable). Call it for final responses; 1xx other than 101 pass untouched.
 */
export function responseCookieHeaders(headers: readonly string[], cookie: PersistenceCookie, context: ResponseCookieContext): ResponseCookies {
  if (context.status < 200 && context.status !== 101) return { headers, state: "N" };
  const server = manageServerCookies(headers, cookie, context);
  let state = server.state;
  let out = server.headers;
  if (cookie.method === "insert" && (!context.direct || datesNeedRefresh(context))) {
    const cacheable = cookie.nocache && responseIsCacheable(context.method, context.status, out);
    const added: string[] = [...out, "set-cookie", insertedCookie(cookie, context.serverCookie)];
    if (cacheable) added.push("cache-control", "private");
    out = added;
    state = context.serverCookie !== undefined && context.direct ? "U" : "I";
  }
  return { headers: out, state };
}

/** Without maxidle/maxlife, HAProxy re-sends a cookie whose last-seen date is past or that has a first-seen date. */
function datesNeedRefresh(context: ResponseCookieContext): boolean {
  const lastSeen = context.lastSeen ?? 0;
  const now = context.now ?? Math.floor(Date.now() / 1000);
  return (lastSeen !== 0 && lastSeen - now < 0) || (context.firstSeen ?? 0) !== 0;
}

function insertedCookie(cookie: PersistenceCookie, serverCookie: string | undefined): string {
  let text = serverCookie === undefined ? cookie.name + EXPIRED_COOKIE : `${cookie.name}=${serverCookie}; path=/`;
  if (cookie.httponly) text += "; HttpOnly";
  if (cookie.secure) text += "; Secure";
  return text;
}

/**
 * Each `set-cookie` line holds one cookie (its attributes may contain commas). Spaces around its
 * `=` are removed whatever its name; ours is then removed, rewritten or prefixed in place.
 * Set-Cookie2 (RFC 2965, obsolete) is not handled.
 */
function manageServerCookies(headers: readonly string[], cookie: PersistenceCookie, context: ResponseCookieContext): ResponseCookies {
  let out: string[] | null = null;
  let state: ResponseCookies["state"] = "N";
  for (let index = 0; index < headers.length; index += 2) {
    const name = headers[index]!;
    const value = headers[index + 1]!;
    if (name !== "set-cookie") {
      out?.push(name, value);
      continue;
    }
    const parsed = parseSetCookie(value);
    let kept: string | null = parsed === null ? value : parsed.text;
    if (parsed !== null && parsed.name === cookie.name) {
      state = "P";
      if (cookie.method === "insert" || (context.direct && cookie.indirect)) {
        kept = null;
        state = "D";
      } else if (context.serverCookie !== undefined && cookie.method === "rewrite") {
        kept = parsed.text.slice(0, parsed.valueStart) + context.serverCookie + parsed.text.slice(parsed.valueEnd);
        state = "R";
      } else if (context.serverCookie !== undefined && cookie.method === "prefix") {
        kept = parsed.text.slice(0, parsed.valueStart) + context.serverCookie + PREFIX_DELIMITER + parsed.text.slice(parsed.valueStart);
        state = "R";
      }
    }
    if (kept === value) {
      out?.push(name, value);
      continue;
    }
    out ??= headers.slice(0, index);
    if (kept !== null) out.push(name, kept);
  }
  return { headers: out ?? headers, state };
}

interface SetCookie {
  readonly name: string;
  /** The header value with the spaces around `=` removed. */
  readonly text: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** The first cookie of a Set-Cookie value; null when it has no `=`. */
function parseSetCookie(header: string): SetCookie | null {
  const end = header.length;
  let nameStart = 0;
  while (nameStart < end && isSpaceOrTab(header, nameStart)) nameStart++;
  let equal = nameStart;
  let nameEnd = nameStart;
  while (equal < end) {
    const char = header[equal];
    if (char === "=" || char === ";") break;
    equal++;
    if (char !== " " && char !== "\t") nameEnd = equal;
  }
  if (equal >= end || header[equal] !== "=") return null;
  let valueStart = equal + 1;
  while (valueStart < end && isSpaceOrTab(header, valueStart)) valueStart++;
  let valueEnd = cookieValueEnd(header, valueStart, end);
  while (valueEnd > valueStart && isSpaceOrTab(header, valueEnd - 1)) valueEnd--;
  const name = header.slice(nameStart, nameEnd);
  if (nameEnd === equal && valueStart === equal + 1) return { name, text: header, valueStart, valueEnd };
  const removed = equal - nameEnd + (valueStart - equal - 1);
  return {
    name,
    text: header.slice(0, nameEnd) + "=" + header.slice(valueStart),
    valueStart: valueStart - removed,
    valueEnd: valueEnd - removed,
  };
}

// ---------------------------------------------------------------------------------------------
// Cacheability (what `nocache` looks at)

/** RFC 7231's safe methods: the only ones HAProxy starts from as cacheable. */
const CACHEABLE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

const UNCACHEABLE_DIRECTIVES: ReadonlySet<string> = new Set(["private", "no-cache", "no-store", "max-age=0", "s-maxage=0"]);

/**
 * Whether HAProxy 2.6 considers the response cacheable, so that `nocache` must add
 * `cache-control: private`. It starts from the method, then reads the first `pragma` and every
 * `cache-control` directive in order (`public` makes it cacheable again, even after POST), and
 * finally — as 2.6.12 does, unlike later releases — drops it when the response has no freshness
 * (`max-age`, `s-maxage`, `expires`) and no validator (`etag`, `last-modified`).
 */
export function responseIsCacheable(method: string, status: number, headers: readonly string[]): boolean {
  if (status < 200) return false;
  let cacheable = CACHEABLE_METHODS.has(method);
  let sawPragma = false;
  let fresh = false;
  let validated = false;
  for (let index = 0; index < headers.length; index += 2) {
    const name = headers[index];
    const value = headers[index + 1]!;
    if (name === "pragma") {
      if (!sawPragma && trimSpaces(value).toLowerCase() === "no-cache") return false;
      sawPragma = true;
    } else if (name === "cache-control") {
      for (const directive of headerValues(value)) {
        const lower = directive.toLowerCase();
        if (lower === "public") cacheable = true;
        else if (UNCACHEABLE_DIRECTIVES.has(lower)) cacheable = false;
        else if (lower.startsWith('no-cache="set-cookie')) continue;
        else if (lower.startsWith("s-maxage") || lower.startsWith("max-age")) fresh = true;
      }
    } else if (name === "expires") {
      fresh = true;
    } else if (name === "etag" || name === "last-modified") {
      validated = true;
    }
  }
  return cacheable && (fresh || validated);
}

/** A header's comma-separated values (commas inside quotes do not separate), trimmed. */
function headerValues(value: string): string[] {
  const values: string[] = [];
  let start = 0;
  let quoted = false;
  let escaped = false;
  for (let index = 0; index <= value.length; index++) {
    const char = value[index];
    if (index < value.length) {
      if (escaped) {
        escaped = false;
        continue;
      }
      if (quoted) {
        if (char === "\\") escaped = true;
        else if (char === '"') quoted = false;
        continue;
      }
      if (char === '"') {
        quoted = true;
        continue;
      }
      if (char !== ",") continue;
    }
    values.push(trimSpaces(value.slice(start, index)));
    start = index + 1;
  }
  return values;
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceOrTab(text, start)) start++;
  while (end > start && isSpaceOrTab(text, end - 1)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
