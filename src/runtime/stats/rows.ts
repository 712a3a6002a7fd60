/**
 * One statistics row per frontend, server and backend, cell for cell as HAProxy 2.6.12 fills
 * them: which columns a row type shows, which stay empty, which only appear in HTTP mode or when
 * the server is checked. The CSV, the Prometheus output and the HTML page all read these rows,
 * as HAProxy's own outputs all read its `stats_fill_*_stats` fields.
 */
import { InternalError } from "../../util/internal-error.js";
import { checkStatusDescription, checkStatusFinished, checkStatusHasCode } from "./check-status.js";
import { COLUMN_INDEX, H2_COLUMNS, SSL_COLUMNS, STAT_COLUMNS, type StatCell, type StatColumn } from "./columns.js";
import type { ResponseClassCounts } from "./counters.js";
import type { StatsBackend, StatsFrontend, StatsProxy, StatsRegistry, StatsServer } from "./registry.js";
import { backendStatusText, serverStatusText } from "./status-text.js";

export type StatsRowKind = "frontend" | "backend" | "server";

export interface StatsRow {
  readonly kind: StatsRowKind;
  readonly proxy: StatsProxy;
  /** The server of a server row. */
  readonly server: StatsServer | null;
  readonly cells: readonly StatCell[];
}

export interface RowOptions {
  readonly nowMs: number;
  /** `;up` or `;no-maint` was asked: backend statuses then count their servers, `UP (2/4)`. */
  readonly countServersInStatus: boolean;
}

/** Which rows a request asked for (`;up`, `;no-maint`, `scope=`). */
export interface RowFilter {
  /** `;up`: leave out servers that are DOWN or in maintenance. */
  readonly hideDown: boolean;
  /** `;no-maint`: leave out servers in maintenance. */
  readonly hideMaint: boolean;
  /** `scope=`: only the proxies whose name contains this text, ignoring case; null for all. */
  readonly scope: string | null;
}

export const ALL_ROWS: RowFilter = { hideDown: false, hideMaint: false, scope: null };

/** Every row in HAProxy's order: per proxy, FRONTEND, then its servers, then BACKEND. */
export function statsRows(registry: StatsRegistry, filter: RowFilter, nowMs: number): StatsRow[] {
  const options: RowOptions = { nowMs, countServersInStatus: filter.hideDown || filter.hideMaint };
  const scope = filter.scope?.toLowerCase() ?? null;
  const rows: StatsRow[] = [];
  for (const proxy of registry.proxies) {
    if (scope !== null && !proxy.name.toLowerCase().includes(scope)) continue;
    if (proxy.frontend) rows.push(frontendRow(proxy, proxy.frontend, options));
    if (proxy.backend) {
      for (const server of proxy.backend.servers) {
        if (filter.hideMaint && server.status.maintenance) continue;
        if (filter.hideDown && server.status.isDown()) continue;
        rows.push(serverRow(proxy, server, options));
      }
      rows.push(backendRow(proxy, proxy.backend, options));
    }
  }
  return rows;
}

/** HAProxy's `type` column. */
const TYPE = { frontend: 0, backend: 1, server: 2 } as const;

const HRSP_COLUMNS: readonly StatColumn[] = ["hrsp_other", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx"];

class RowBuilder {
  readonly cells: StatCell[] = new Array<StatCell>(STAT_COLUMNS.length).fill(undefined);

  set(column: StatColumn, value: StatCell): void {
    const index = COLUMN_INDEX.get(column);
    if (index === undefined) throw new InternalError(`unknown statistics column ${column}`);
    this.cells[index] = value;
  }

  setAll(columns: readonly StatColumn[], value: StatCell): void {
    for (const column of columns) this.set(column, value);
  }

  responses(counts: ResponseClassCounts): void {
    HRSP_COLUMNS.forEach((column, index) => this.set(column, counts[index]));
  }

  /** HTTP/1 module columns: in HTTP mode from the proxy's own counters, zero otherwise. */
  http1(values: { open: number; streams: number; connections: number; requests: number; bytesIn: number; bytesOut: number } | null): void {
    this.set("h1_open_connections", values?.open ?? 0);
    this.set("h1_open_streams", values?.streams ?? 0);
    this.set("h1_total_connections", values?.connections ?? 0);
    this.set("h1_total_streams", values?.requests ?? 0);
    this.set("h1_bytes_in", values?.bytesIn ?? 0);
    this.set("h1_bytes_out", values?.bytesOut ?? 0);
    this.set("h1_spliced_bytes_in", 0);
    this.set("h1_spliced_bytes_out", 0);
  }

  common(proxy: StatsProxy, svname: string, kind: StatsRowKind, sid: number): void {
    this.set("pxname", proxy.name);
    this.set("svname", svname);
    this.set("pid", 1);
    this.set("iid", proxy.iid);
    this.set("sid", sid);
    this.set("type", TYPE[kind]);
    this.set("mode", proxy.mode);
    this.set("-", "-");
    this.setAll(SSL_COLUMNS, 0);
  }
}

function secondsSince(nowMs: number, thenMs: number): number {
  return Math.max(0, Math.floor((nowMs - thenMs) / 1000));
}

function lastSession(nowMs: number, lastSessionMs: number): number {
  return lastSessionMs < 0 ? -1 : secondsSince(nowMs, lastSessionMs);
}

export function frontendRow(proxy: StatsProxy, frontend: StatsFrontend, options: RowOptions): StatsRow {
  const counters = frontend.counters;
  const http = proxy.mode === "http";
  const now = options.nowMs;
  const row = new RowBuilder();
  row.common(proxy, "FRONTEND", "frontend", 0);
  row.set("scur", counters.scur);
  row.set("smax", counters.smax);
  row.set("slim", frontend.maxconn);
  row.set("stot", counters.stot);
  row.set("bin", counters.bin);
  row.set("bout", counters.bout);
  row.set("dreq", counters.dreq);
  row.set("dresp", counters.dresp);
  row.set("ereq", counters.ereq);
  row.set("status", "OPEN");
  row.set("rate", counters.rate.read(now));
  row.set("rate_lim", 0);
  row.set("rate_max", counters.rate_max);
  if (http) row.responses(counters.hrsp);
  row.set("req_rate", counters.req_rate.read(now));
  row.set("req_rate_max", counters.req_rate_max);
  row.set("req_tot", counters.req_tot);
  row.setAll(["comp_in", "comp_out", "comp_byp", "comp_rsp"], 0);
  row.set("conn_rate", counters.conn_rate.read(now));
  row.set("conn_rate_max", counters.conn_rate_max);
  row.set("conn_tot", counters.conn_tot);
  if (http) row.set("intercepted", counters.intercepted);
  row.set("dcon", counters.dcon);
  row.set("dses", counters.dses);
  row.set("wrew", counters.wrew);
  if (http) row.setAll(["cache_lookups", "cache_hits"], 0);
  row.set("eint", counters.eint);
  row.setAll(H2_COLUMNS, 0);
  row.http1(
    http
      ? {
          open: counters.scur,
          streams: counters.scur,
          connections: counters.conn_tot,
          requests: counters.req_tot,
          bytesIn: counters.bin,
          bytesOut: counters.bout,
        }
      : null,
  );
  return { kind: "frontend", proxy, server: null, cells: row.cells };
}

export function backendRow(proxy: StatsProxy, backend: StatsBackend, options: RowOptions): StatsRow {
  const counters = backend.counters;
  const status = backend.status;
  const http = proxy.mode === "http";
  const now = options.nowMs;
  const weights = status.weights();
  const row = new RowBuilder();
  row.common(proxy, "BACKEND", "backend", 0);
  row.set("qcur", counters.qcur);
  row.set("qmax", counters.qmax);
  row.set("scur", counters.scur);
  row.set("smax", counters.smax);
  row.set("slim", backend.fullconn);
  row.set("stot", counters.stot);
  row.set("bin", counters.bin);
  row.set("bout", counters.bout);
  row.set("dreq", counters.dreq);
  row.set("dresp", counters.dresp);
  row.set("econ", counters.econ);
  row.set("eresp", counters.eresp);
  row.set("wretr", counters.wretr);
  row.set("wredis", counters.wredis);
  row.set("status", backendStatusText(status, options.countServersInStatus));
  row.set("weight", weights.weight);
  row.set("act", weights.act);
  row.set("bck", weights.bck);
  row.set("chkdown", status.chkdown);
  row.set("lastchg", secondsSince(now, status.lastChangeMs));
  if (backend.servers.length > 0) row.set("downtime", Math.floor(status.downtimeMs(now) / 1000));
  row.set("lbtot", counters.lbtot);
  row.set("rate", counters.rate.read(now));
  row.set("rate_max", counters.rate_max);
  if (http) {
    row.responses(counters.hrsp);
    row.set("req_tot", counters.req_tot);
  }
  row.set("cli_abrt", counters.cli_abrt);
  row.set("srv_abrt", counters.srv_abrt);
  row.setAll(["comp_in", "comp_out", "comp_byp", "comp_rsp"], 0);
  row.set("lastsess", lastSession(now, counters.lastSessionMs));
  setTimes(row, counters);
  row.set("wrew", counters.wrew);
  row.set("connect", counters.connect);
  row.set("reuse", counters.reuse);
  if (http) row.setAll(["cache_lookups", "cache_hits"], 0);
  row.set("eint", counters.eint);
  row.set("uweight", weights.weight);
  row.setAll(["agg_server_status", "agg_server_check_status", "agg_check_status"], 0);
  row.setAll(H2_COLUMNS, 0);
  row.http1(
    http
      ? {
          open: backend.servers.reduce((sum, server) => sum + server.counters.scur, 0),
          streams: counters.scur,
          connections: counters.connect,
          requests: counters.req_tot,
          bytesIn: counters.bout,
          bytesOut: counters.bin,
        }
      : null,
  );
  return { kind: "backend", proxy, server: null, cells: row.cells };
}

export function serverRow(proxy: StatsProxy, server: StatsServer, options: RowOptions): StatsRow {
  const counters = server.counters;
  const status = server.status;
  const check = status.check;
  const http = proxy.mode === "http";
  const now = options.nowMs;
  const row = new RowBuilder();
  row.common(proxy, server.name, "server", server.sid);
  row.set("qcur", counters.qcur);
  row.set("qmax", counters.qmax);
  row.set("scur", counters.scur);
  row.set("smax", counters.smax);
  row.set("slim", server.maxconn);
  row.set("stot", counters.stot);
  row.set("bin", counters.bin);
  row.set("bout", counters.bout);
  row.set("dresp", counters.dresp);
  row.set("econ", counters.econ);
  row.set("eresp", counters.eresp);
  row.set("wretr", counters.wretr);
  row.set("wredis", counters.wredis);
  row.set("status", serverStatusText(status));
  row.set("weight", status.weight);
  row.set("act", status.backup ? 0 : 1);
  row.set("bck", status.backup ? 1 : 0);
  if (status.checkEnabled) {
    row.set("chkfail", status.chkfail);
    row.set("chkdown", status.chkdown);
    row.set("downtime", Math.floor(status.downtimeMs(now) / 1000));
  }
  row.set("lastchg", secondsSince(now, status.lastChangeMs));
  row.set("lbtot", counters.lbtot);
  row.set("rate", counters.rate.read(now));
  row.set("rate_max", counters.rate_max);
  if (check !== null && status.checkActive) {
    row.set("check_status", (check.inProgress ? "* " : "") + check.status);
    if (checkStatusHasCode(check.status) && check.code !== undefined) row.set("check_code", check.code);
    if (checkStatusFinished(check.status) && check.durationMs !== undefined) row.set("check_duration", check.durationMs);
    row.set("last_chk", check.description);
    row.set("check_desc", checkStatusDescription(check.status));
    row.set("check_rise", check.rise);
    row.set("check_fall", check.fall);
    row.set("check_health", check.health);
  }
  if (http) {
    row.responses(counters.hrsp);
    row.set("req_tot", counters.req_tot);
  }
  row.set("cli_abrt", counters.cli_abrt);
  row.set("srv_abrt", counters.srv_abrt);
  row.set("lastsess", lastSession(now, counters.lastSessionMs));
  setTimes(row, counters);
  row.set("wrew", counters.wrew);
  row.set("connect", counters.connect);
  row.set("reuse", counters.reuse);
  row.set("srv_icur", counters.idle_conn_cur + counters.safe_conn_cur);
  row.set("eint", counters.eint);
  row.set("idle_conn_cur", counters.idle_conn_cur);
  row.set("safe_conn_cur", counters.safe_conn_cur);
  row.set("used_conn_cur", counters.scur);
  row.set("need_conn_est", counters.smax);
  row.set("uweight", status.weight);
  return { kind: "server", proxy, server, cells: row.cells };
}

function setTimes(row: RowBuilder, counters: StatsBackend["counters"] | StatsServer["counters"]): void {
  row.set("qtime", counters.qtime.average());
  row.set("ctime", counters.ctime.average());
  row.set("rtime", counters.rtime.average());
  row.set("ttime", counters.ttime.average());
  row.set("qtime_max", counters.qtime_max);
  row.set("ctime_max", counters.ctime_max);
  row.set("rtime_max", counters.rtime_max);
  row.set("ttime_max", counters.ttime_max);
}
