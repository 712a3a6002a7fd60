/**
 * The traffic counters the proxy core increments, one object per frontend, backend and server.
 * Each field is named after the HAProxy CSV column it feeds (`scur` feeds `scur`, `rate` feeds
 * `rate`), so HAProxy's documentation (management.txt §9.1) describes it. Plain fields and tiny
 * methods: they are on the request path, so nothing here allocates.
 *
 * Health, weights and up/down history live in ServerStatus and BackendStatus; these objects only
 * count traffic.
 */
import { FreqCounter } from "./freq-counter.js";
import { SlidingAverage } from "./sliding-average.js";

/** Response counts by class, indexed like HAProxy's `rsp[]`: 0 = other (not 100–599), 1–5 = 1xx–5xx. */
export type ResponseClassCounts = [other: number, c1xx: number, c2xx: number, c3xx: number, c4xx: number, c5xx: number];

function countResponse(counts: ResponseClassCounts, status: number): void {
  const statusClass = Math.floor(status / 100);
  const index = statusClass >= 1 && statusClass <= 5 ? statusClass : 0;
  counts[index] = (counts[index] ?? 0) + 1;
}

/** A frontend (or the listening side of a `listen` section, or of the stats page). */
export class FrontendCounters {
  /** Client connections open now; HAProxy opens one session per accepted connection. */
  scur = 0;
  smax = 0;
  /** Sessions since start. */
  stot = 0;
  /** New sessions per second; `rate_max` is the busiest second seen. */
  readonly rate = new FreqCounter();
  rate_max = 0;
  /** Connections accepted since start (equal to `stot` while nothing rejects connections early). */
  conn_tot = 0;
  readonly conn_rate = new FreqCounter();
  conn_rate_max = 0;
  /** HTTP requests received since start (every request of a keep-alive connection counts). */
  req_tot = 0;
  readonly req_rate = new FreqCounter();
  req_rate_max = 0;
  /** Bytes received from clients and sent to them, headers included. */
  bin = 0;
  bout = 0;
  /** Requests and responses denied by rules. */
  dreq = 0;
  dresp = 0;
  /** Request errors: invalid requests, client timeouts (408) or aborts before the request was complete. */
  ereq = 0;
  /** Connections and sessions refused by `tcp-request connection` / `tcp-request session` rules. */
  dcon = 0;
  dses = 0;
  /** Failed header rewrites. */
  wrew = 0;
  /** Internal errors. */
  eint = 0;
  /** Requests answered by the proxy itself (the stats page, a redirect) rather than a backend. */
  intercepted = 0;
  /** Responses sent to clients by status class, HAProxy's own error responses included. */
  readonly hrsp: ResponseClassCounts = [0, 0, 0, 0, 0, 0];

  /** A client connection was accepted: one new connection and one new session. */
  connectionOpened(nowMs: number): void {
    this.conn_tot += 1;
    this.conn_rate_max = Math.max(this.conn_rate_max, this.conn_rate.add(nowMs));
    this.stot += 1;
    this.rate_max = Math.max(this.rate_max, this.rate.add(nowMs));
    this.scur += 1;
    if (this.scur > this.smax) this.smax = this.scur;
  }

  connectionClosed(): void {
    this.scur -= 1;
  }

  /** An HTTP request was read from a client (call it for each request on a keep-alive connection). */
  requestReceived(nowMs: number): void {
    this.req_tot += 1;
    this.req_rate_max = Math.max(this.req_rate_max, this.req_rate.add(nowMs));
  }

  /** A response with this status left for the client. */
  responseSent(status: number): void {
    countResponse(this.hrsp, status);
  }
}

/** What a backend and a server both count: the place a request is sent to. */
abstract class TargetCounters {
  /** Requests waiting in this queue now (the backend's queue holds those not yet given a server). */
  qcur = 0;
  qmax = 0;
  /** Requests (HTTP) or connections (TCP) being served now. */
  scur = 0;
  smax = 0;
  /** Sessions since start: one per HTTP request, or per TCP connection. */
  stot = 0;
  readonly rate = new FreqCounter();
  rate_max = 0;
  /** Times the balancing algorithm chose a server (not counting cookie persistence or queue pops). */
  lbtot = 0;
  /** Bytes sent to servers (requests) and received from them (responses). */
  bin = 0;
  bout = 0;
  /** Responses denied by rules. */
  dresp = 0;
  /** Requests that could not connect to a server (after the last retry). */
  econ = 0;
  /** Invalid or aborted server responses (server aborts, 502, 504); `srv_abrt` is counted here too. */
  eresp = 0;
  /** Connection retries, and redispatches to another server (the server counts those that left it). */
  wretr = 0;
  wredis = 0;
  /** Transfers aborted by the client, or by the server. */
  cli_abrt = 0;
  srv_abrt = 0;
  /** HTTP requests sent here. */
  req_tot = 0;
  /** Responses by status class, HAProxy's own error responses for this target included. */
  readonly hrsp: ResponseClassCounts = [0, 0, 0, 0, 0, 0];
  /** Connection attempts, and requests sent over an already open (kept-alive) server connection. */
  connect = 0;
  reuse = 0;
  wrew = 0;
  eint = 0;
  /** When a session last started here (ms), -1 before the first: feeds `lastsess` (seconds ago). */
  lastSessionMs = -1;
  /** Averages over the last 1024 requests, in ms: queue, connect, response headers, whole session. */
  readonly qtime = new SlidingAverage();
  readonly ctime = new SlidingAverage();
  readonly rtime = new SlidingAverage();
  readonly ttime = new SlidingAverage();
  qtime_max = 0;
  ctime_max = 0;
  rtime_max = 0;
  ttime_max = 0;

  /** A request (HTTP) or connection (TCP) was assigned here. */
  sessionStarted(nowMs: number): void {
    this.stot += 1;
    this.rate_max = Math.max(this.rate_max, this.rate.add(nowMs));
    this.scur += 1;
    if (this.scur > this.smax) this.smax = this.scur;
    this.lastSessionMs = nowMs;
  }

  sessionEnded(): void {
    this.scur -= 1;
  }

  /** A request entered this queue, waiting for a free connection slot. */
  queued(): void {
    this.qcur += 1;
    if (this.qcur > this.qmax) this.qmax = this.qcur;
  }

  /** A request left this queue, served or timed out. */
  dequeued(): void {
    this.qcur -= 1;
  }

  /** A response with this status was sent for a request handled here. */
  responseSent(status: number): void {
    countResponse(this.hrsp, status);
  }

  /**
   * The timers of one request that reached a server (HAProxy's %Tw %Tc %Tr %Tt, in ms): time in
   * the queue, to connect, from the request sent to the response headers, and the whole session.
   * In TCP mode pass the connect time as the response time (HAProxy does).
   */
  recordTimes(queueMs: number, connectMs: number, responseMs: number, totalMs: number): void {
    this.qtime.add(queueMs);
    this.ctime.add(connectMs);
    this.rtime.add(responseMs);
    this.ttime.add(totalMs);
    if (queueMs > this.qtime_max) this.qtime_max = queueMs;
    if (connectMs > this.ctime_max) this.ctime_max = connectMs;
    if (responseMs > this.rtime_max) this.rtime_max = responseMs;
    if (totalMs > this.ttime_max) this.ttime_max = totalMs;
  }
}

/** A backend (or the server side of a `listen` section, or of the stats page). */
export class BackendCounters extends TargetCounters {
  /** Requests denied by rules. */
  dreq = 0;
}

/** One server of a backend. */
export class ServerCounters extends TargetCounters {
  /**
   * Idle connections to this server kept open for reuse: unsafe (`idle_conn_cur`) and safe
   * (`safe_conn_cur`) in HAProxy's sense. Left at 0 by a core that does not pool connections.
   */
  idle_conn_cur = 0;
  safe_conn_cur = 0;
}
