import { describe, expect, it } from "vitest";
import type { IrStats } from "../../../src/ir/types.js";
import { type AdminEvent, handleStatsRequest, type StatsPageContext } from "../../../src/runtime/stats/page.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { parseStatsUriOptions } from "../../../src/runtime/stats/request-options.js";
import { resolveStatsSettings } from "../../../src/runtime/stats/settings.js";
import { fixtureIr } from "./fixture-ir.js";

const T0 = 3_000_000;
const AUTH = { authorization: `Basic ${Buffer.from("admin:pw").toString("base64")}` };

function context(stats: Partial<IrStats> = {}, events: AdminEvent[] = []): StatsPageContext {
  const ir = fixtureIr(undefined, stats);
  const irStats = ir.haproxy.stats;
  if (!irStats) throw new Error("the fixture has a stats section");
  const { settings } = resolveStatsSettings(irStats, { clusterName: "zb", nodeName: "n1", resolveEnv: (name) => (name === "PW" ? "pw" : undefined) });
  return { registry: new StatsRegistry(ir, { nowMs: T0, processMaxconn: 9990 }), settings, nowMs: T0 + 1_000, onAdminAction: (event) => events.push(event) };
}

const get = (ctx: StatsPageContext, url: string, headers: Record<string, string> = {}) => handleStatsRequest({ method: "GET", url, headers }, ctx);

describe("parseStatsUriOptions", () => {
  it("finds each option anywhere after the prefix, as HAProxy does", () => {
    expect(parseStatsUriOptions(";csv;norefresh")).toMatchObject({ format: "csv", noRefresh: true, hideDown: false });
    expect(parseStatsUriOptions("?x=1;up;no-maint;st=PART")).toMatchObject({ format: "html", hideDown: true, hideMaint: true, adminStatus: "PART" });
    expect(parseStatsUriOptions(";st=WHAT")).toMatchObject({ adminStatus: "UNKN" });
    expect(parseStatsUriOptions("?scope=App;csv")).toMatchObject({ scope: "App", format: "csv" });
    expect(parseStatsUriOptions("?scope=<b>")).toMatchObject({ scope: null });
    expect(parseStatsUriOptions(";json")).toMatchObject({ format: "json" });
  });
});

describe("handleStatsRequest", () => {
  it("serves the page for any URI starting with the stats URI, HAProxy's 503 for the rest", () => {
    const ctx = context();
    expect(get(ctx, "/stats").status).toBe(200);
    expect(get(ctx, "/statsxyz;csv").headers["content-type"]).toBe("text/plain");
    expect(get(ctx, "http://lb.example/stats;csv").headers["content-type"]).toBe("text/plain");
    const other = get(ctx, "/other");
    expect([other.kind, other.status, other.headers["content-length"]]).toEqual(["unmatched", 503, "107"]);
    expect(other.body).toBe("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n");
  });

  it("sends Refresh on HTML and CSV unless ;norefresh, in whole seconds rounded up", () => {
    const ctx = context({ refreshMs: 1500 });
    expect(get(ctx, "/stats").headers.refresh).toBe("2");
    expect(get(ctx, "/stats;csv").headers.refresh).toBe("2");
    expect(get(ctx, "/stats;norefresh").headers.refresh).toBeUndefined();
    expect(get(context(), "/stats").headers.refresh).toBeUndefined();
  });

  it("asks for credentials with a 401 when the spec lists users, on the page and on /metrics", () => {
    const ctx = context({ auth: [{ user: "admin", password: { env: "PW" } }], realm: "ops only" });
    const denied = get(ctx, "/stats");
    expect([denied.status, denied.headers["www-authenticate"], denied.headers["content-length"]]).toEqual([401, 'Basic realm="ops only"', "112"]);
    expect(get(ctx, "/metrics").status).toBe(401);
    expect(get(ctx, "/stats", AUTH).status).toBe(200);
    expect(get(ctx, "/metrics", AUTH).status).toBe(200);
    expect(get(ctx, "/nothing").status).toBe(503);
  });

  it("serves /metrics beside the page unless the stats URI claims that path", () => {
    const metrics = get(context(), "/metrics?scope=frontend");
    expect([metrics.kind, metrics.status, metrics.headers["content-type"]]).toEqual(["metrics", 200, "text/plain; version=0.0.4"]);
    expect(metrics.body).toContain("haproxy_frontend_current_sessions");
    expect(metrics.body).not.toContain("haproxy_server_");
    expect(get(context(), "/metrics?scope=nope").status).toBe(400);
    expect(handleStatsRequest({ method: "POST", url: "/metrics", headers: {} }, context()).status).toBe(405);
    expect(get(context({ uri: "/metrics" }), "/metrics").headers["content-type"]).toBe("text/html");
    expect(get(context({ uri: "/" }), "/metrics").kind).toBe("metrics");
  });

  it("answers HEAD with the headers only, other methods with HAProxy's 503, ;json with 501", () => {
    const head = handleStatsRequest({ method: "HEAD", url: "/stats;csv", headers: {} }, context());
    expect([head.status, head.body, head.headers["content-type"]]).toEqual([200, "", "text/plain"]);
    expect(handleStatsRequest({ method: "PUT", url: "/stats", headers: {} }, context()).status).toBe(503);
    expect(get(context(), "/stats;json").status).toBe(501);
  });

  it("applies an admin POST, reports each changed server, and redirects with the outcome and the view kept", () => {
    const events: AdminEvent[] = [];
    const ctx = context({ refreshMs: 5000 }, events);
    const response = handleStatsRequest({ method: "POST", url: "/stats;up;norefresh", headers: {}, body: "s=s1&s=s9&action=maint&b=app" }, ctx);
    expect([response.status, response.headers.location, response.headers["content-length"]]).toEqual([303, "/stats;st=PART;up;norefresh", "0"]);
    expect(events).toEqual([{ backend: "app", server: "s1", action: "maint" }]);
    expect(ctx.registry.server("app", "s1").status.maintenance).toBe(true);
  });

  it("denies admin POSTs without `admin`, and refuses bodies that were too large", () => {
    const readOnly = context({ admin: false });
    const denied = handleStatsRequest({ method: "POST", url: "/stats", headers: {}, body: "s=s1&action=maint&b=app" }, readOnly);
    expect(denied.headers.location).toBe("/stats;st=DENY");
    expect(readOnly.registry.server("app", "s1").status.maintenance).toBe(false);
    const large = handleStatsRequest({ method: "POST", url: "/stats", headers: {}, bodyTooLarge: true }, context());
    expect(large.headers.location).toBe("/stats;st=EXCD");
  });
});
