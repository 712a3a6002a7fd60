import { describe, expect, it } from "vitest";
import { METRICS_SCOPES, type MetricsScope, parseMetricsQuery, renderPrometheus } from "../../../src/runtime/stats/prometheus.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { HALB_VERSION } from "../../../src/version.js";
import { fixtureIr } from "./fixture-ir.js";
import { parsePrometheusText } from "./prometheus-text.js";

const T0 = 1_700_000_000_000;
const ALL: ReadonlySet<MetricsScope> = new Set(METRICS_SCOPES);

function render(registry: StatsRegistry, options: Partial<Parameters<typeof renderPrometheus>[1]> = {}): string {
  return renderPrometheus(registry, { nowMs: T0 + 61_500, scopes: ALL, skipMaintenance: false, showVersion: true, ...options });
}

function sample(text: string, series: string): string | undefined {
  return text.split("\n").find((line) => line.startsWith(`${series} `))?.slice(series.length + 1);
}

describe("Prometheus exporter", () => {
  const registry = new StatsRegistry(fixtureIr(), { nowMs: T0, processMaxconn: 9990 });
  registry.server("app", "s1").status.recordCheck({ status: "L7OK", code: 200, durationMs: 12, description: "", health: 4 }, T0 + 1);
  registry.server("app", "s2").status.recordCheck({ status: "L4CON", durationMs: 0, description: "Connection refused", health: 0 }, T0 + 1);
  registry.server("app", "s1").counters.recordTimes(0, 3, 250, 1_500);

  it("writes valid text exposition: HELP and TYPE before contiguous samples, a final newline", () => {
    const families = parsePrometheusText(render(registry));
    expect(families.get("haproxy_frontend_current_sessions")?.type).toBe("gauge");
    expect(families.get("haproxy_frontend_sessions_total")?.type).toBe("counter");
    expect(families.get("haproxy_server_status")?.samples).toHaveLength(5 * 5); // five servers, five states each
  });

  it("uses HAProxy's names and labels, NaN for empty fields and seconds for times", () => {
    const text = render(registry);
    expect(sample(text, 'haproxy_server_status{proxy="app",server="s2",state="DOWN"}')).toBe("1");
    expect(sample(text, 'haproxy_server_status{proxy="app",server="s3",state="MAINT"}')).toBe("1");
    expect(sample(text, 'haproxy_server_limit_sessions{proxy="app",server="s1"}')).toBe("NaN");
    expect(sample(text, 'haproxy_server_limit_sessions{proxy="db",server="db1"}')).toBe("50");
    expect(sample(text, 'haproxy_server_response_time_average_seconds{proxy="app",server="s1"}')).toBe("0.250000");
    expect(sample(text, 'haproxy_server_check_duration_seconds{proxy="app",server="s1"}')).toBe("0.012000");
    expect(sample(text, 'haproxy_server_check_status{proxy="app",server="s1",state="L7OK"}')).toBe("1");
    expect(sample(text, 'haproxy_server_check_code{proxy="app",server="s2"}')).toBe("0");
    expect(sample(text, 'haproxy_backend_status{proxy="app",state="UP"}')).toBe("1");
    expect(sample(text, 'haproxy_backend_agg_server_status{proxy="app",state="MAINT"}')).toBe("1");
    expect(sample(text, 'haproxy_backend_agg_check_status{proxy="app",state="L4CON"}')).toBe("1");
    expect(sample(text, "haproxy_process_uptime_seconds")).toBe("61");
    expect(sample(text, `haproxy_process_build_info{version="halb-${HALB_VERSION}"}`)).toBe("1");
  });

  it("leaves HTTP-only families out of TCP proxies, check families out of unchecked servers", () => {
    const text = render(registry);
    expect(text).toContain('haproxy_frontend_http_requests_total{proxy="www"}');
    expect(text).not.toContain('haproxy_frontend_http_requests_total{proxy="db"}');
    expect(text).not.toContain('haproxy_server_http_responses_total{proxy="db"');
    expect(text).not.toMatch(/haproxy_server_check_status\{proxy="app",server="s[34]"/);
    expect(text).not.toContain('haproxy_backend_agg_server_status{proxy="stats"');
  });

  it("writes the response classes in HAProxy's order: every proxy's 1xx, then every proxy's 2xx…", () => {
    const lines = render(registry).split("\n").filter((line) => line.startsWith("haproxy_frontend_http_responses_total{"));
    expect(lines.slice(0, 3)).toEqual([
      'haproxy_frontend_http_responses_total{proxy="stats",code="1xx"} 0',
      'haproxy_frontend_http_responses_total{proxy="www",code="1xx"} 0',
      'haproxy_frontend_http_responses_total{proxy="stats",code="2xx"} 0',
    ]);
  });

  it("selects groups with scope=, skips servers in maintenance with no-maint, hides the version on request", () => {
    const query = parseMetricsQuery(new URLSearchParams("scope=server&no-maint"));
    if (!query.ok) throw new Error(query.error);
    const text = render(registry, { scopes: query.scopes, skipMaintenance: query.skipMaintenance, showVersion: false });
    expect(text).not.toContain("haproxy_frontend_");
    expect(text).not.toContain("haproxy_process_");
    expect(text).toContain('server="s1"');
    expect(text).not.toContain('server="s3"');
    expect(render(registry, { showVersion: false })).not.toContain("build_info");
    const none = parseMetricsQuery(new URLSearchParams("scope="));
    expect(none.ok && render(registry, { scopes: none.scopes })).toBe("");
    expect(parseMetricsQuery(new URLSearchParams("scope=*")).ok).toBe(true);
    expect(parseMetricsQuery(new URLSearchParams("scope=bogus"))).toEqual({ ok: false, error: 'unknown scope "bogus"' });
  });
});

describe("the strict exposition reader used here", () => {
  it("rejects what a scraper would", () => {
    expect(() => parsePrometheusText("# HELP a x\n# TYPE a gauge\na 1")).toThrow(/newline/);
    expect(() => parsePrometheusText("a 1\n")).toThrow(/outside its family/);
    expect(() => parsePrometheusText("# HELP a x\n# TYPE a gauge\na{b=\"\\x\"} 1\n")).toThrow(/bad escape/);
    expect(() => parsePrometheusText("# HELP a x\n# TYPE a gauge\na 1\na 2\n")).toThrow(/duplicate/);
    expect(() => parsePrometheusText("# HELP a x\n# TYPE a counter\na -1\n")).toThrow(/negative/);
    expect(() => parsePrometheusText("# HELP a x\n# TYPE a gauge\na one\n")).toThrow(/bad value/);
    expect(parsePrometheusText('# HELP a x\n# TYPE a gauge\na{b="q\\"\\n"} NaN\n').get("a")?.samples[0]?.labels).toEqual({ b: 'q"\n' });
  });
});
