import { describe, expect, it } from "vitest";
import type { Ir, IrStats } from "../../../src/ir/types.js";
import { renderHtml } from "../../../src/runtime/stats/html.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { parseStatsUriOptions } from "../../../src/runtime/stats/request-options.js";
import { resolveStatsSettings } from "../../../src/runtime/stats/settings.js";
import { HALB_VERSION } from "../../../src/version.js";
import { fixtureIr } from "./fixture-ir.js";

const T0 = 4_000_000;

function page(stats: Partial<IrStats> = {}, afterPrefix = "", mutate: (ir: Ir) => Ir = (ir) => ir): string {
  const ir = mutate(fixtureIr(undefined, stats));
  const irStats = ir.haproxy.stats;
  if (!irStats) throw new Error("the fixture has a stats section");
  const { settings } = resolveStatsSettings(irStats, { clusterName: "zb", nodeName: "node-1", resolveEnv: () => undefined });
  const registry = new StatsRegistry(ir, { nowMs: T0, processMaxconn: 9990 });
  return renderHtml({ registry, settings, options: parseStatsUriOptions(afterPrefix), nowMs: T0 + 3_723_000, metricsPath: "/metrics" });
}

describe("HTML page", () => {
  it("is one self-contained document: inline style, no external asset", () => {
    const html = page();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).not.toMatch(/<(link|script)\b/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("up 1h2m");
  });

  it("escapes every name it prints", () => {
    const hostile = (ir: Ir): Ir => ({
      ...ir,
      haproxy: {
        ...ir.haproxy,
        backends: ir.haproxy.backends.map((backend) => ({
          ...backend,
          name: 'a<b>"c',
          servers: backend.servers.map((server, index) => (index === 0 ? { ...server, name: "<img src=x onerror=alert(1)>" } : server)),
        })),
      },
    });
    const html = page({}, "", hostile);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("a&lt;b&gt;&quot;c");
  });

  it("tints server rows by state and shows HAProxy's status words", () => {
    const html = page();
    expect(html).toMatch(/<tr class="server s-maint">.*>s3</);
    expect(html).toMatch(/<tr class="server s-nocheck">.*>s4 <span class="badge">backup<\/span>/);
    expect(html).toMatch(/<tr class="server s-going-down">.*>s1<.*UP 1\/3/);
  });

  it("offers HAProxy's admin form per backend with admin on, and none without", () => {
    const html = page({ admin: true }, ";up");
    expect(html).toContain('<form method="post" action="/stats;up">');
    expect(html).toContain('<input type="checkbox" name="s" value="s2"');
    expect(html).toContain('<select name="action">');
    expect(html).toContain('<option value="maint">');
    expect(html).toContain('<input type="hidden" name="b" value="#4">');
    expect(html).not.toContain("dagent");
    expect(page({ admin: false })).not.toContain("<form");
  });

  it("shows the version unless hide-version, the refresh and the outcome of an admin action", () => {
    expect(page({ hideVersion: false })).toContain(`halb ${HALB_VERSION}`);
    expect(page({ hideVersion: true })).not.toContain(HALB_VERSION);
    const refreshing = page({ refreshMs: 30_000 });
    expect(refreshing).toContain("refreshes every 30 s");
    expect(refreshing).toContain('href="/stats;norefresh">Stop refreshing');
    expect(page({ refreshMs: 30_000 }, ";norefresh")).not.toContain("refreshes every");
    expect(page({}, ";st=DONE")).toContain('<div class="message ok">Action processed.');
    expect(page({}, ";st=DENY")).toContain("read-only");
  });

  it("shows only the proxies of the scope, and says so when none matches", () => {
    const html = page({}, "?scope=db");
    expect(html).toContain('id="proxy-db"');
    expect(html).not.toContain('id="proxy-app"');
    expect(page({}, "?scope=zzz")).toContain("No proxy matches this scope.");
  });
});
