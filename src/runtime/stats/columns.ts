/**
 * The statistics columns of HAProxy 2.6.12, in its order: the static fields 0–102 documented in
 * management.txt §9.1 (plus the three `agg_*` fields 2.6 added), the `-` column that ends them,
 * then the per-module counters (SSL, HTTP/2, HTTP/1) whose order HAProxy does not promise but
 * 2.6.12 prints so. The CSV header is exactly these names.
 */

export const STAT_COLUMNS = [
  "pxname", "svname", "qcur", "qmax", "scur", "smax", "slim", "stot",
  "bin", "bout", "dreq", "dresp", "ereq", "econ", "eresp", "wretr",
  "wredis", "status", "weight", "act", "bck", "chkfail", "chkdown", "lastchg",
  "downtime", "qlimit", "pid", "iid", "sid", "throttle", "lbtot", "tracked",
  "type", "rate", "rate_lim", "rate_max", "check_status", "check_code", "check_duration", "hrsp_1xx",
  "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "hanafail", "req_rate", "req_rate_max",
  "req_tot", "cli_abrt", "srv_abrt", "comp_in", "comp_out", "comp_byp", "comp_rsp", "lastsess",
  "last_chk", "last_agt", "qtime", "ctime", "rtime", "ttime", "agent_status", "agent_code",
  "agent_duration", "check_desc", "agent_desc", "check_rise", "check_fall", "check_health", "agent_rise", "agent_fall",
  "agent_health", "addr", "cookie", "mode", "algo", "conn_rate", "conn_rate_max", "conn_tot",
  "intercepted", "dcon", "dses", "wrew", "connect", "reuse", "cache_lookups", "cache_hits",
  "srv_icur", "src_ilim", "qtime_max", "ctime_max", "rtime_max", "ttime_max", "eint", "idle_conn_cur",
  "safe_conn_cur", "used_conn_cur", "need_conn_est", "uweight", "agg_server_status", "agg_server_check_status", "agg_check_status", "-",
  "ssl_sess", "ssl_reused_sess", "ssl_failed_handshake",
  "h2_headers_rcvd", "h2_data_rcvd", "h2_settings_rcvd", "h2_rst_stream_rcvd", "h2_goaway_rcvd",
  "h2_detected_conn_protocol_errors", "h2_detected_strm_protocol_errors", "h2_rst_stream_resp", "h2_goaway_resp",
  "h2_open_connections", "h2_backend_open_streams", "h2_total_connections", "h2_backend_total_streams",
  "h1_open_connections", "h1_open_streams", "h1_total_connections", "h1_total_streams",
  "h1_bytes_in", "h1_bytes_out", "h1_spliced_bytes_in", "h1_spliced_bytes_out",
] as const;

export type StatColumn = (typeof STAT_COLUMNS)[number];

/** Column name → position. */
export const COLUMN_INDEX: ReadonlyMap<StatColumn, number> = new Map(STAT_COLUMNS.map((name, index) => [name, index]));

export const SSL_COLUMNS: readonly StatColumn[] = ["ssl_sess", "ssl_reused_sess", "ssl_failed_handshake"];

export const H2_COLUMNS: readonly StatColumn[] = STAT_COLUMNS.filter((name) => name.startsWith("h2_"));

/** A cell: a number, a string, or empty (HAProxy leaves the field empty where it does not apply). */
export type StatCell = number | string | undefined;
