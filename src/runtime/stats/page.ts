/**
 * Answers every request that reaches the stats listener, without touching a socket: the core
 * reads the request (and a POST body), calls `handleStatsRequest`, and writes the response.
 *
 * - A URI starting with the stats URI is the statistics page, as in HAProxy 2.6: HTML, `;csv`,
 *   and with `stats admin` the admin POST (answered 303 to `<uri>;st=<outcome>`). GET and HEAD
 *   read it; other methods get the 503 HAProxy gives, as they fall through to the section's
 *   (absent) servers. `;json` and `;typed` are not served (501).
 * - `GET /metrics` on the same listener is the Prometheus exporter — the place HAProxy users put
 *   `http-request use-service prometheus-exporter if { path /metrics }` — unless the stats URI
 *   itself starts with `/metrics`, which then wins. It asks for the same credentials as the page.
 * - Anything else gets HAProxy's 503, as a `listen stats` section without servers gives.
 *
 * Header names are lower case, as HAProxy sends them. `kind` tells the core what was served: it
 * counts page and exporter requests as `intercepted` on the stats proxy's FrontendCounters and
 * logs them with the server `<STATS>`, like HAProxy.
 */
import { adminOutcome, applyAdminAction, type AdminAction, parseAdminForm } from "./admin.js";
import { renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { PROMETHEUS_CONTENT_TYPE, parseMetricsQuery, renderPrometheus } from "./prometheus.js";
import type { StatsRegistry } from "./registry.js";
import { type AdminStatusCode, parseStatsUriOptions, type StatsUriOptions } from "./request-options.js";
import { statsRows } from "./rows.js";
import type { StatsSettings } from "./settings.js";

export const METRICS_PATH = "/metrics";

/** HAProxy reads an admin POST only when it fits its 16 kB buffer; a longer body is refused (EXCD). */
export const MAX_ADMIN_BODY_BYTES = 16384;

/** What the core passes in: the shape of a Node IncomingMessage plus the body it read. */
export interface StatsRequest {
  readonly method: string;
  /** The request target as received (origin form `/path?query`, or absolute form). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** A POST's body, at most MAX_ADMIN_BODY_BYTES; set `bodyTooLarge` instead when it was longer. */
  readonly body?: string;
  readonly bodyTooLarge?: boolean;
}

export interface StatsResponse {
  /** `stats`: the page or an admin POST; `metrics`: the exporter; `unmatched`: neither (503). */
  readonly kind: "stats" | "metrics" | "unmatched";
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for HEAD. */
  readonly body: string;
}

/** One server an admin POST changed. On `shutdown` the core closes the server's sessions. */
export interface AdminEvent {
  readonly backend: string;
  readonly server: string;
  readonly action: AdminAction;
}

export interface StatsPageContext {
  readonly registry: StatsRegistry;
  readonly settings: StatsSettings;
  readonly nowMs: number;
  /** Called for each server an admin POST changed, after its ServerStatus was updated. */
  readonly onAdminAction?: (event: AdminEvent) => void;
}

/** HAProxy's own error pages (src/http.c), byte for byte. */
const UNAUTHORIZED_BODY = "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n";
const UNAVAILABLE_BODY = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";

/** Where the exporter answers on this listener, or null when the stats URI claims that path. */
export function metricsPath(settings: StatsSettings): string | null {
  return settings.uri.startsWith(METRICS_PATH) ? null : METRICS_PATH;
}

export function handleStatsRequest(request: StatsRequest, context: StatsPageContext): StatsResponse {
  const { settings } = context;
  const target = originForm(request.url);
  const method = request.method.toUpperCase();
  const path = target.split("?", 1)[0] ?? target;
  const exporterPath = metricsPath(settings);
  const kind = exporterPath !== null && path === exporterPath ? "metrics" : target.startsWith(settings.uri) ? "stats" : "unmatched";
  if (kind === "unmatched") return errorPage("unmatched", 503, UNAVAILABLE_BODY, method);
  if (!settings.auth.allows(header(request, "authorization"))) {
    return { ...errorPage(kind, 401, UNAUTHORIZED_BODY, method), headers: { ...errorHeaders(UNAUTHORIZED_BODY), "www-authenticate": settings.auth.challenge() } };
  }
  if (kind === "metrics") return serveMetrics(target, method, context);

  const parsed = parseStatsUriOptions(target.slice(settings.uri.length));
  // HAProxy only looks for ;norefresh when the page refreshes at all.
  const options: StatsUriOptions = { ...parsed, noRefresh: parsed.noRefresh && settings.refreshSeconds !== null };
  if (method === "POST") return redirectAfterPost(options, adminStatus(request, context), settings);
  if (method !== "GET" && method !== "HEAD") return errorPage("stats", 503, UNAVAILABLE_BODY, method);
  const refresh: Record<string, string> = settings.refreshSeconds !== null && !options.noRefresh ? { refresh: String(settings.refreshSeconds) } : {};
  switch (options.format) {
    case "csv": {
      const rows = statsRows(context.registry, { hideDown: options.hideDown, hideMaint: options.hideMaint, scope: options.scope }, context.nowMs);
      return ok("text/plain", method === "HEAD" ? "" : renderCsv(rows), refresh);
    }
    case "html": {
      const html = method === "HEAD" ? "" : renderHtml({ registry: context.registry, settings, options, nowMs: context.nowMs, metricsPath: exporterPath });
      return ok("text/html", html, refresh);
    }
    case "json":
    case "typed": {
      const body = method === "HEAD" ? "" : `halb run does not serve ;${options.format}; use ;csv or ${exporterPath ?? "the CSV"}.\n`;
      return { kind: "stats", status: 501, headers: { "cache-control": "no-cache", "content-type": "text/plain", ...length(body, method) }, body };
    }
  }
}

function ok(contentType: string, body: string, extra: Record<string, string>): StatsResponse {
  return { kind: "stats", status: 200, headers: { "cache-control": "no-cache", "content-type": contentType, ...extra }, body };
}

function serveMetrics(target: string, method: string, context: StatsPageContext): StatsResponse {
  if (method !== "GET" && method !== "HEAD") {
    const body = "Method Not Allowed\n";
    return { kind: "metrics", status: 405, headers: { allow: "GET, HEAD", "content-type": "text/plain", ...length(body, method) }, body };
  }
  const queryAt = target.indexOf("?");
  const query = parseMetricsQuery(new URLSearchParams(queryAt < 0 ? "" : target.slice(queryAt + 1)));
  if (!query.ok) {
    const body = `${query.error}\n`;
    return { kind: "metrics", status: 400, headers: { "content-type": "text/plain", ...length(body, method) }, body };
  }
  const body =
    method === "HEAD"
      ? ""
      : renderPrometheus(context.registry, {
          nowMs: context.nowMs,
          scopes: query.scopes,
          skipMaintenance: query.skipMaintenance,
          showVersion: !context.settings.hideVersion,
        });
  return { kind: "metrics", status: 200, headers: { "cache-control": "no-cache", "content-type": PROMETHEUS_CONTENT_TYPE }, body };
}

/** Applies an admin POST and returns its outcome code. */
function adminStatus(request: StatsRequest, context: StatsPageContext): AdminStatusCode {
  if (!context.settings.admin) return "DENY";
  if (request.bodyTooLarge) return "EXCD";
  const form = parseAdminForm(request.body ?? "", context.registry);
  if (!form.ok) return form.status;
  const command = form.command;
  if (command === null) return "NONE";
  let named = 0;
  let changed = 0;
  for (const server of command.servers) {
    if (server === null) {
      named += 1;
      continue;
    }
    if (!applyAdminAction(command.action, server.status, context.nowMs)) continue;
    named += 1;
    changed += 1;
    context.onAdminAction?.({ backend: command.proxy.name, server: server.name, action: command.action });
  }
  return adminOutcome(named, changed);
}

/** HAProxy's 303 after a POST, back to the page with the outcome and the view options it keeps. */
function redirectAfterPost(options: StatsUriOptions, code: AdminStatusCode, settings: StatsSettings): StatsResponse {
  let location = `${settings.uri};st=${code}`;
  if (options.hideDown) location += ";up";
  if (options.noRefresh) location += ";norefresh";
  if (options.scope !== null) location += `${settings.uri.includes("?") ? "&" : "?"}scope=${options.scope}`;
  return {
    kind: "stats",
    status: 303,
    headers: { "cache-control": "no-cache", "content-type": "text/plain", "content-length": "0", location },
    body: "",
  };
}

function errorPage(kind: StatsResponse["kind"], status: number, body: string, method: string): StatsResponse {
  return { kind, status, headers: errorHeaders(body), body: method === "HEAD" ? "" : body };
}

function errorHeaders(body: string): Record<string, string> {
  return { "content-length": String(Buffer.byteLength(body)), "cache-control": "no-cache", "content-type": "text/html" };
}

function length(body: string, method: string): Record<string, string> {
  return method === "HEAD" ? {} : { "content-length": String(Buffer.byteLength(body)) };
}

function header(request: StatsRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : value?.[0];
}

/** An absolute-form target (`http://host/stats`) compares by its path and query, as HAProxy does. */
function originForm(url: string): string {
  if (url.startsWith("/")) return url;
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) return url;
  const pathStart = url.indexOf("/", schemeEnd + 3);
  return pathStart < 0 ? "/" : url.slice(pathStart);
}
