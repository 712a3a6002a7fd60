/**
 * The statistics page and its counters. The core builds one StatsRegistry from the IR, counts
 * traffic on its FrontendCounters / BackendCounters / ServerCounters, lets the health checker
 * and the admin page drive each ServerStatus, and hands every request of the stats listener to
 * handleStatsRequest.
 */
export { ADMIN_ACTIONS, type AdminAction, type AdminCommand, adminOutcome, applyAdminAction, parseAdminForm } from "./admin.js";
export { DEFAULT_STATS_REALM, type EnvResolver, StatsAuth } from "./auth.js";
export { type BackendWeights, BackendStatus } from "./backend-status.js";
export { type CheckStatus, checkStatusDescription, checkStatusFinished, checkStatusPassed } from "./check-status.js";
export { STAT_COLUMNS, type StatCell, type StatColumn } from "./columns.js";
export { BackendCounters, FrontendCounters, ServerCounters } from "./counters.js";
export { CSV_HEADER, renderCsv } from "./csv.js";
export { FreqCounter } from "./freq-counter.js";
export { renderHtml } from "./html.js";
export {
  type AdminEvent,
  handleStatsRequest,
  MAX_ADMIN_BODY_BYTES,
  METRICS_PATH,
  metricsPath,
  type StatsPageContext,
  type StatsRequest,
  type StatsResponse,
} from "./page.js";
export { type MetricsOptions, PROMETHEUS_CONTENT_TYPE, parseMetricsQuery, renderPrometheus } from "./prometheus.js";
export { type StatsBackend, type StatsFrontend, type StatsProxy, StatsRegistry, type StatsRegistryOptions, type StatsServer } from "./registry.js";
export { ADMIN_STATUS_CODES, type AdminStatusCode, parseStatsUriOptions, type StatsUriOptions } from "./request-options.js";
export { ALL_ROWS, type RowFilter, type StatsRow, statsRows } from "./rows.js";
export { type CheckReport, ServerCheck, type ServerHealthState, ServerStatus } from "./server-status.js";
export { DEFAULT_STATS_URI, resolveStatsSettings, type StatsSettings } from "./settings.js";
export { SlidingAverage } from "./sliding-average.js";
export { backendStatusText, serverStatusText } from "./status-text.js";
