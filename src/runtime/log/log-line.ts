/** What the request log lines share: client address, line length, HAProxy's `-1` for a missing number. */

/**
 * A log target's default `len` is 1024 bytes with the newline: HAProxy cuts longer lines there
 * (a 2,000-byte URI gives a 1,023-character line without its closing quote).
 */
export const DEFAULT_LOG_LINE_LENGTH = 1024;

/** The line as a log target of length `maxLength` (newline included) carries it. Lines are ASCII. */
export function fitLogLine(line: string, maxLength = DEFAULT_LOG_LINE_LENGTH): string {
  return line.length < maxLength ? line : line.slice(0, maxLength - 1);
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`; HAProxy prints `a.b.c.d`. */
export function logClientAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

/** A timer or status that was not reached is `-1` in HAProxy's lines. */
export function orMinusOne(value: number | null): string {
  return value === null ? "-1" : String(value);
}

/** Counters common to both formats: `%ac/%fc/%bc/%sc/%rc`. */
export interface ConnectionCounts {
  /** Connections the whole process is handling (`actconn`). */
  readonly process: number;
  /** Connections on the frontend (`feconn`). */
  readonly frontend: number;
  /** Connections on the backend (`beconn`). */
  readonly backend: number;
  /** Connections on the server (`srv_conn`). */
  readonly server: number;
}

/** `%sq/%bq`: requests waiting in the server's and the backend's queue before this one. */
export interface QueueDepths {
  readonly server: number;
  readonly backend: number;
}

/** What both line formats end with: the connection counts, retries and queue depths. */
export interface LoadFacts {
  readonly connections: ConnectionCounts;
  /** Connection attempts retried (`%rc`). */
  readonly retries: number;
  /** A retry went to another server (`%rc` gets a `+`). */
  readonly redispatched: boolean;
  readonly queues: QueueDepths;
}

/**
 * `%ac/%fc/%bc/%sc/%rc %sq/%bq` as two fields; `%rc` is prefixed with `+` when the request was
 * redispatched to another server.
 */
export function loadFields({ connections: c, retries, redispatched, queues }: LoadFacts): [string, string] {
  return [`${c.process}/${c.frontend}/${c.backend}/${c.server}/${redispatched ? "+" : ""}${retries}`, `${queues.server}/${queues.backend}`];
}

/** The same facts under the JSON line's names. */
export function loadJson({ connections: c, retries, redispatched, queues }: LoadFacts): Record<string, number | boolean> {
  return { actconn: c.process, feconn: c.frontend, beconn: c.backend, srv_conn: c.server, retries, redispatched, srv_queue: queues.server, backend_queue: queues.backend };
}
