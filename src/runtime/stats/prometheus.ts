/**
 * `/metrics` in the Prometheus text format (version 0.0.4), with the metric names, types and
 * labels of HAProxy 2.6's own exporter (`http-request use-service prometheus-exporter`), so its
 * dashboards and alerts work unchanged: `haproxy_frontend_current_sessions{proxy="www"}`,
 * `haproxy_server_status{proxy="app",server="s1",state="UP"}`, … Like HAProxy's exporter it reads
 * the same fields as the CSV: an empty field is `NaN`, times are in seconds, and HTTP-only
 * families leave TCP proxies out. The HELP texts are halb's own.
 */
import { InternalError } from "../../util/internal-error.js";
import { HALB_VERSION } from "../../version.js";
import { FINISHED_CHECK_STATUSES, checkStatusFinished, checkStatusHasCode } from "./check-status.js";
import type { StatCell, StatColumn } from "./columns.js";
import { COLUMN_INDEX } from "./columns.js";
import type { StatsRegistry, StatsServer } from "./registry.js";
import { ALL_ROWS, type StatsRow, statsRows } from "./rows.js";
import type { ServerStatus } from "./server-status.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4";

/** The groups `?scope=` can select, as HAProxy's exporter names them. */
export const METRICS_SCOPES = ["global", "frontend", "backend", "server"] as const;
export type MetricsScope = (typeof METRICS_SCOPES)[number];

export interface MetricsOptions {
  readonly nowMs: number;
  readonly scopes: ReadonlySet<MetricsScope>;
  /** `?no-maint`: leave out servers in maintenance. */
  readonly skipMaintenance: boolean;
  /** `haproxy_process_build_info` carries halb's version; left out under `hide-version`. */
  readonly showVersion: boolean;
}

export type MetricsQuery = { readonly ok: true; readonly scopes: ReadonlySet<MetricsScope>; readonly skipMaintenance: boolean } | { readonly ok: false; readonly error: string };

/**
 * HAProxy's exporter query: `scope=` (repeatable; `*` for all, empty for none) and `no-maint`.
 * Without `scope` every group is shown. `listener` and `sticktable` are accepted and select nothing,
 * as halb has neither.
 */
export function parseMetricsQuery(search: URLSearchParams): MetricsQuery {
  let scopes: Set<MetricsScope> | null = null;
  let skipMaintenance = false;
  for (const [key, value] of search) {
    if (key === "no-maint") {
      skipMaintenance = true;
    } else if (key === "scope") {
      scopes ??= new Set();
      if (value === "*") METRICS_SCOPES.forEach((scope) => scopes?.add(scope));
      else if ((METRICS_SCOPES as readonly string[]).includes(value)) scopes.add(value as MetricsScope);
      else if (value !== "" && value !== "listener" && value !== "sticktable") return { ok: false, error: `unknown scope "${value}"` };
    }
  }
  return { ok: true, scopes: scopes ?? new Set(METRICS_SCOPES), skipMaintenance };
}

type MetricType = "gauge" | "counter";
type Label = readonly [name: string, value: string];

interface Sample {
  readonly labels: readonly Label[];
  readonly value: string;
}

interface MetricObject {
  readonly row: StatsRow;
  /** `proxy`, and `server` for a server. */
  readonly labels: readonly Label[];
}

interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** HAProxy's exporter writes some families in several passes over the objects (one per response class). */
  readonly passes?: number;
  readonly samples: (object: MetricObject, pass: number) => readonly Sample[];
}

function cell(row: StatsRow, column: StatColumn): StatCell {
  return row.cells[COLUMN_INDEX.get(column) ?? -1];
}

function integer(value: StatCell): string {
  return typeof value === "number" ? String(value) : "NaN";
}

function secondsFromMs(value: StatCell): string {
  return typeof value === "number" ? (value / 1000).toFixed(6) : "NaN";
}

function isHttp(object: MetricObject): boolean {
  return object.row.proxy.mode === "http";
}

interface ColumnOptions {
  /** Left out of TCP proxies. */
  readonly httpOnly?: boolean;
  /** The column holds milliseconds; the metric is in seconds. */
  readonly seconds?: boolean;
}

function fromColumn(type: MetricType, name: string, column: StatColumn, help: string, options: ColumnOptions = {}): MetricSpec {
  return {
    name,
    type,
    help,
    samples: (object) => {
      if (options.httpOnly && !isHttp(object)) return [];
      const value = cell(object.row, column);
      return [{ labels: [], value: options.seconds ? secondsFromMs(value) : integer(value) }];
    },
  };
}

const gauge = (name: string, column: StatColumn, help: string, options?: ColumnOptions): MetricSpec => fromColumn("gauge", name, column, help, options);
const counter = (name: string, column: StatColumn, help: string, options?: ColumnOptions): MetricSpec => fromColumn("counter", name, column, help, options);

const RESPONSE_CLASSES: readonly (readonly [code: string, column: StatColumn])[] = [
  ["1xx", "hrsp_1xx"],
  ["2xx", "hrsp_2xx"],
  ["3xx", "hrsp_3xx"],
  ["4xx", "hrsp_4xx"],
  ["5xx", "hrsp_5xx"],
  ["other", "hrsp_other"],
];

const httpResponses: MetricSpec = {
  name: "http_responses_total",
  type: "counter",
  help: "HTTP responses by status class (code label: 1xx to 5xx, other)",
  passes: RESPONSE_CLASSES.length,
  samples: (object, pass) => {
    const responseClass = RESPONSE_CLASSES[pass];
    if (!isHttp(object) || responseClass === undefined) return [];
    return [{ labels: [["code", responseClass[0]]], value: integer(cell(object.row, responseClass[1])) }];
  },
};

function stateSamples<State extends string>(states: readonly State[], value: (state: State) => number): Sample[] {
  return states.map((state) => ({ labels: [["state", state]], value: String(value(state)) }));
}

const UP_DOWN = ["DOWN", "UP"] as const;

const SERVER_STATES = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"] as const;
type ServerState = (typeof SERVER_STATES)[number];

/** The exporter's coarse server state: MAINT wins, DRAIN is an UP server being drained, NOLB a stopping one. */
function serverState(status: ServerStatus): ServerState {
  if (status.maintenance) return "MAINT";
  if (status.state === "running") return status.drain ? "DRAIN" : "UP";
  return status.state === "stopping" ? "NOLB" : "DOWN";
}

function serverOf(object: MetricObject): StatsServer {
  const server = object.row.server;
  if (server === null) throw new InternalError(`${object.row.proxy.name}: a server metric on a row without a server`);
  return server;
}

const frontendStatus: MetricSpec = {
  name: "status",
  type: "gauge",
  help: "Frontend status, 1 for the current state (state label: DOWN, UP)",
  samples: () => stateSamples(UP_DOWN, (state) => (state === "UP" ? 1 : 0)),
};

const backendStatus: MetricSpec = {
  name: "status",
  type: "gauge",
  help: "Backend status, 1 for the current state (state label: DOWN, UP)",
  samples: (object) => {
    const up = object.row.proxy.backend?.status.up ?? true;
    return stateSamples(UP_DOWN, (state) => (state === "UP") === up ? 1 : 0);
  },
};

function serverStateCounts(object: MetricObject): Sample[] {
  const servers = object.row.proxy.backend?.servers ?? [];
  if (servers.length === 0) return [];
  return stateSamples(SERVER_STATES, (state) => servers.filter((server) => serverState(server.status) === state).length);
}

const FRONTEND_METRICS: readonly MetricSpec[] = [
  gauge("current_sessions", "scur", "Sessions open now"),
  gauge("max_sessions", "smax", "Most sessions open at once since start"),
  gauge("limit_sessions", "slim", "Session limit: maxconn of a frontend or server, fullconn of a backend"),
  counter("sessions_total", "stot", "Sessions since start"),
  counter("bytes_in_total", "bin", "Bytes received (requests)"),
  counter("bytes_out_total", "bout", "Bytes sent (responses)"),
  counter("requests_denied_total", "dreq", "Requests denied by rules"),
  counter("responses_denied_total", "dresp", "Responses denied by rules"),
  counter("request_errors_total", "ereq", "Invalid, timed out or aborted client requests"),
  frontendStatus,
  gauge("limit_session_rate", "rate_lim", "Limit of new sessions per second, 0 for none"),
  gauge("max_session_rate", "rate_max", "Most new sessions in one second since start"),
  httpResponses,
  gauge("http_requests_rate_max", "req_rate_max", "Most HTTP requests in one second since start", { httpOnly: true }),
  counter("http_requests_total", "req_tot", "HTTP requests since start", { httpOnly: true }),
  counter("http_comp_bytes_in_total", "comp_in", "Response bytes fed to the compressor", { httpOnly: true }),
  counter("http_comp_bytes_out_total", "comp_out", "Response bytes out of the compressor", { httpOnly: true }),
  counter("http_comp_bytes_bypassed_total", "comp_byp", "Response bytes that bypassed the compressor", { httpOnly: true }),
  counter("http_comp_responses_total", "comp_rsp", "Responses compressed", { httpOnly: true }),
  gauge("connections_rate_max", "conn_rate_max", "Most new connections in one second since start"),
  counter("connections_total", "conn_tot", "Connections accepted since start"),
  counter("intercepted_requests_total", "intercepted", "Requests answered by the proxy itself (stats page, redirects)", { httpOnly: true }),
  counter("denied_connections_total", "dcon", "Connections refused by tcp-request connection rules"),
  counter("denied_sessions_total", "dses", "Sessions refused by tcp-request session rules"),
  counter("failed_header_rewriting_total", "wrew", "Failed header rewrites"),
  counter("http_cache_lookups_total", "cache_lookups", "HTTP cache lookups", { httpOnly: true }),
  counter("http_cache_hits_total", "cache_hits", "HTTP cache hits", { httpOnly: true }),
  counter("internal_errors_total", "eint", "Internal errors"),
];

/** Metrics a backend and a server share, in HAProxy's field order; `status` and the rest are spliced in by the callers. */
const QUEUE_AND_SESSIONS: readonly MetricSpec[] = [
  gauge("current_queue", "qcur", "Requests waiting in the queue now"),
  gauge("max_queue", "qmax", "Most requests waiting in the queue at once since start"),
  gauge("current_sessions", "scur", "Sessions open now"),
  gauge("max_sessions", "smax", "Most sessions open at once since start"),
  gauge("limit_sessions", "slim", "Session limit: maxconn of a frontend or server, fullconn of a backend"),
  counter("sessions_total", "stot", "Sessions since start"),
  counter("bytes_in_total", "bin", "Bytes received (requests)"),
  counter("bytes_out_total", "bout", "Bytes sent (responses)"),
];

const ERRORS: readonly MetricSpec[] = [
  counter("connection_errors_total", "econ", "Requests that failed to connect to a server"),
  counter("response_errors_total", "eresp", "Invalid or aborted server responses"),
  counter("retry_warnings_total", "wretr", "Connection retries"),
  counter("redispatch_warnings_total", "wredis", "Redispatches to another server"),
];

const TIMES: readonly MetricSpec[] = [
  gauge("queue_time_average_seconds", "qtime", "Average queue time over the last 1024 requests", { seconds: true }),
  gauge("connect_time_average_seconds", "ctime", "Average connect time over the last 1024 requests", { seconds: true }),
  gauge("response_time_average_seconds", "rtime", "Average response time over the last 1024 requests", { seconds: true }),
  gauge("total_time_average_seconds", "ttime", "Average total session time over the last 1024 requests", { seconds: true }),
];

const MAX_TIMES: readonly MetricSpec[] = [
  gauge("max_queue_time_seconds", "qtime_max", "Longest queue time seen", { seconds: true }),
  gauge("max_connect_time_seconds", "ctime_max", "Longest connect time seen", { seconds: true }),
  gauge("max_response_time_seconds", "rtime_max", "Longest response time seen", { seconds: true }),
  gauge("max_total_time_seconds", "ttime_max", "Longest total session time seen", { seconds: true }),
];

const WEIGHT_HELP = "Effective weight of a server, or the weight in use in a backend";
const UWEIGHT_HELP = "Configured weight of a server, or the weight in use in a backend";

const BACKEND_METRICS: readonly MetricSpec[] = [
  ...QUEUE_AND_SESSIONS,
  counter("requests_denied_total", "dreq", "Requests denied by rules"),
  counter("responses_denied_total", "dresp", "Responses denied by rules"),
  ...ERRORS,
  backendStatus,
  gauge("weight", "weight", WEIGHT_HELP),
  gauge("active_servers", "act", "Usable active servers"),
  gauge("backup_servers", "bck", "Usable backup servers"),
  counter("check_up_down_total", "chkdown", "Transitions to DOWN"),
  gauge("check_last_change_seconds", "lastchg", "Seconds since the last state change"),
  counter("downtime_seconds_total", "downtime", "Seconds spent DOWN"),
  counter("loadbalanced_total", "lbtot", "Times the balancing algorithm chose a server"),
  gauge("max_session_rate", "rate_max", "Most new sessions in one second since start"),
  httpResponses,
  counter("http_requests_total", "req_tot", "HTTP requests since start", { httpOnly: true }),
  counter("client_aborts_total", "cli_abrt", "Transfers aborted by the client"),
  counter("server_aborts_total", "srv_abrt", "Transfers aborted by the server"),
  counter("http_comp_bytes_in_total", "comp_in", "Response bytes fed to the compressor", { httpOnly: true }),
  counter("http_comp_bytes_out_total", "comp_out", "Response bytes out of the compressor", { httpOnly: true }),
  counter("http_comp_bytes_bypassed_total", "comp_byp", "Response bytes that bypassed the compressor", { httpOnly: true }),
  counter("http_comp_responses_total", "comp_rsp", "Responses compressed", { httpOnly: true }),
  gauge("last_session_seconds", "lastsess", "Seconds since the last session started, -1 for never"),
  ...TIMES,
  counter("failed_header_rewriting_total", "wrew", "Failed header rewrites"),
  counter("connection_attempts_total", "connect", "Connection attempts to servers"),
  counter("connection_reuses_total", "reuse", "Requests sent over an already open server connection"),
  counter("http_cache_lookups_total", "cache_lookups", "HTTP cache lookups", { httpOnly: true }),
  counter("http_cache_hits_total", "cache_hits", "HTTP cache hits", { httpOnly: true }),
  ...MAX_TIMES,
  counter("internal_errors_total", "eint", "Internal errors"),
  gauge("uweight", "uweight", UWEIGHT_HELP),
  { name: "agg_server_status", type: "gauge", help: "Servers in each state (state label)", samples: serverStateCounts },
  { name: "agg_server_check_status", type: "gauge", help: "Servers in each state (state label); kept for compatibility, use agg_server_status", samples: serverStateCounts },
  {
    name: "agg_check_status",
    type: "gauge",
    help: "Servers whose last health check ended with each status (state label)",
    samples: (object) => {
      const servers = object.row.proxy.backend?.servers ?? [];
      if (servers.length === 0) return [];
      return stateSamples(FINISHED_CHECK_STATUSES, (checkStatus) =>
        servers.filter(({ status }) => status.checkActive && status.check?.status === checkStatus).length,
      );
    },
  },
];

const SERVER_METRICS: readonly MetricSpec[] = [
  ...QUEUE_AND_SESSIONS,
  counter("responses_denied_total", "dresp", "Responses denied by rules"),
  ...ERRORS,
  {
    name: "status",
    type: "gauge",
    help: "Server status, 1 for the current state (state label: DOWN, UP, MAINT, DRAIN, NOLB)",
    samples: (object) => {
      const current = serverState(serverOf(object).status);
      return stateSamples(SERVER_STATES, (state) => (state === current ? 1 : 0));
    },
  },
  gauge("weight", "weight", WEIGHT_HELP),
  counter("check_failures_total", "chkfail", "Failed health checks while the server was up"),
  counter("check_up_down_total", "chkdown", "Transitions to DOWN"),
  gauge("check_last_change_seconds", "lastchg", "Seconds since the last state change"),
  counter("downtime_seconds_total", "downtime", "Seconds spent DOWN"),
  gauge("queue_limit", "qlimit", "Queue limit (maxqueue)"),
  gauge("current_throttle", "throttle", "Slow-start throttle in percent"),
  counter("loadbalanced_total", "lbtot", "Times the balancing algorithm chose this server"),
  gauge("max_session_rate", "rate_max", "Most new sessions in one second since start"),
  {
    name: "check_status",
    type: "gauge",
    help: "Last health check status, 1 for the current one (state label)",
    samples: (object) => {
      const { status } = serverOf(object);
      const check = status.check;
      if (check === null || !status.checkActive) return [];
      return stateSamples(FINISHED_CHECK_STATUSES, (checkStatus) => (check.status === checkStatus ? 1 : 0));
    },
  },
  {
    name: "check_code",
    type: "gauge",
    help: "Response code of the last health check, 0 when it had none",
    samples: (object) => {
      const { status } = serverOf(object);
      const check = status.check;
      if (check === null || !status.checkActive) return [];
      return [{ labels: [], value: String(checkStatusHasCode(check.status) ? (check.code ?? 0) : 0) }];
    },
  },
  {
    name: "check_duration_seconds",
    type: "gauge",
    help: "Duration of the last health check",
    samples: (object) => {
      const check = serverOf(object).status.check;
      if (check === null || !checkStatusFinished(check.status)) return [];
      return [{ labels: [], value: secondsFromMs(check.durationMs) }];
    },
  },
  httpResponses,
  counter("client_aborts_total", "cli_abrt", "Transfers aborted by the client"),
  counter("server_aborts_total", "srv_abrt", "Transfers aborted by the server"),
  gauge("last_session_seconds", "lastsess", "Seconds since the last session started, -1 for never"),
  ...TIMES,
  counter("failed_header_rewriting_total", "wrew", "Failed header rewrites"),
  counter("connection_attempts_total", "connect", "Connection attempts to this server"),
  counter("connection_reuses_total", "reuse", "Requests sent over an already open connection"),
  gauge("idle_connections_current", "srv_icur", "Idle connections kept for reuse"),
  gauge("idle_connections_limit", "src_ilim", "Limit of idle connections kept for reuse"),
  ...MAX_TIMES,
  counter("internal_errors_total", "eint", "Internal errors"),
  gauge("unsafe_idle_connections_current", "idle_conn_cur", "Idle connections not safe to reuse for a new client"),
  gauge("safe_idle_connections_current", "safe_conn_cur", "Idle connections safe to reuse for any client"),
  gauge("used_connections_current", "used_conn_cur", "Connections in use"),
  gauge("need_connections_current", "need_conn_est", "Estimated connections needed"),
  gauge("uweight", "uweight", UWEIGHT_HELP),
];

interface ProcessMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly sample: () => Sample | null;
}

function processMetrics(registry: StatsRegistry, rows: readonly StatsRow[], options: MetricsOptions): ProcessMetric[] {
  const frontendSum = (column: StatColumn): number =>
    rows.reduce((sum, row) => sum + (row.kind === "frontend" ? Number(cell(row, column) ?? 0) : 0), 0);
  const plain = (value: number): Sample => ({ labels: [], value: String(value) });
  return [
    { name: "nbthread", type: "gauge", help: "Threads serving traffic (halb runs one event loop)", sample: () => plain(1) },
    { name: "nbproc", type: "gauge", help: "Worker processes (always 1)", sample: () => plain(1) },
    { name: "relative_process_id", type: "gauge", help: "Number of this worker process (always 1)", sample: () => plain(1) },
    {
      name: "uptime_seconds",
      type: "gauge",
      help: "Seconds since the process started",
      sample: () => plain(Math.floor((options.nowMs - registry.startedAtMs) / 1000)),
    },
    { name: "max_connections", type: "gauge", help: "Connection limit of the process", sample: () => plain(registry.processMaxconn) },
    { name: "current_connections", type: "gauge", help: "Client connections open now", sample: () => plain(frontendSum("scur")) },
    { name: "connections_total", type: "counter", help: "Client connections accepted since start", sample: () => plain(frontendSum("conn_tot")) },
    { name: "requests_total", type: "counter", help: "HTTP requests received since start", sample: () => plain(frontendSum("req_tot")) },
    {
      name: "build_info",
      type: "gauge",
      help: "Build information (version label)",
      sample: () => (options.showVersion ? { labels: [["version", `halb-${HALB_VERSION}`]], value: "1" } : null),
    },
    {
      name: "start_time_seconds",
      type: "gauge",
      help: "When the process started, in seconds since the epoch",
      sample: () => plain(Math.floor(registry.startedAtMs / 1000)),
    },
  ];
}

export function renderPrometheus(registry: StatsRegistry, options: MetricsOptions): string {
  const rows = statsRows(registry, ALL_ROWS, options.nowMs);
  const lines: string[] = [];
  if (options.scopes.has("global")) {
    for (const metric of processMetrics(registry, rows, options)) {
      const sample = metric.sample();
      if (sample !== null) writeFamily(lines, `haproxy_process_${metric.name}`, metric.type, metric.help, [renderSample(`haproxy_process_${metric.name}`, [], sample)]);
    }
  }
  const objects = (kind: StatsRow["kind"]): MetricObject[] =>
    rows
      .filter((row) => row.kind === kind)
      .filter((row) => !(options.skipMaintenance && row.server?.status.maintenance))
      .map((row) => ({ row, labels: row.server ? [["proxy", row.proxy.name], ["server", row.server.name]] : [["proxy", row.proxy.name]] }));
  if (options.scopes.has("frontend")) writeScope(lines, "haproxy_frontend_", FRONTEND_METRICS, objects("frontend"));
  if (options.scopes.has("backend")) writeScope(lines, "haproxy_backend_", BACKEND_METRICS, objects("backend"));
  if (options.scopes.has("server")) writeScope(lines, "haproxy_server_", SERVER_METRICS, objects("server"));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function writeScope(lines: string[], prefix: string, specs: readonly MetricSpec[], objects: readonly MetricObject[]): void {
  for (const spec of specs) {
    const name = prefix + spec.name;
    const samples: string[] = [];
    for (let pass = 0; pass < (spec.passes ?? 1); pass++) {
      for (const object of objects) {
        for (const sample of spec.samples(object, pass)) samples.push(renderSample(name, object.labels, sample));
      }
    }
    writeFamily(lines, name, spec.type, spec.help, samples);
  }
}

/** A family is written only when it has samples, HELP and TYPE first. */
function writeFamily(lines: string[], name: string, type: MetricType, help: string, samples: readonly string[]): void {
  if (samples.length === 0) return;
  lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`, ...samples);
}

function renderSample(name: string, objectLabels: readonly Label[], sample: Sample): string {
  const labels = [...objectLabels, ...sample.labels];
  const labelText = labels.length === 0 ? "" : `{${labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(",")}}`;
  return `${name}${labelText} ${sample.value}`;
}

function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function escapeHelp(help: string): string {
  return help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
