import { describe, expect, it } from "vitest";
import { adminOutcome, applyAdminAction, parseAdminForm } from "../../../src/runtime/stats/admin.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { serverStatusText } from "../../../src/runtime/stats/status-text.js";
import { fixtureIr } from "./fixture-ir.js";

const T0 = 2_000_000;

function registry(): StatsRegistry {
  return new StatsRegistry(fixtureIr(), { nowMs: T0, processMaxconn: 9990 });
}

describe("parseAdminForm", () => {
  it("reads the form HAProxy's page posts: servers, then the action, then b=#<proxy id>", () => {
    const form = parseAdminForm("s=s1&s=s3&action=drain&b=%234", registry());
    if (!form.ok || !form.command) throw new Error("a command");
    expect(form.command.proxy.name).toBe("app");
    expect(form.command.action).toBe("drain");
    expect(form.command.servers.map((server) => server?.name)).toEqual(["s1", "s3"]);
  });

  it("keeps the last backend and action, as HAProxy reads fields from the end", () => {
    const form = parseAdminForm("b=db&action=maint&s=s1&s=nope&action=ready&b=app", registry());
    if (!form.ok || !form.command) throw new Error("a command");
    expect([form.command.proxy.name, form.command.action]).toEqual(["app", "ready"]);
    expect(form.command.servers.map((server) => server?.name ?? null)).toEqual(["s1", null]);
  });

  it("refuses an unknown backend or action (ERRP) and does nothing without both (NONE)", () => {
    expect(parseAdminForm("s=s1&action=ready&b=nope", registry())).toEqual({ ok: false, status: "ERRP" });
    expect(parseAdminForm("s=s1&action=ready&b=www", registry())).toEqual({ ok: false, status: "ERRP" }); // a frontend has no servers
    expect(parseAdminForm("s=s1&action=explode&b=app", registry())).toEqual({ ok: false, status: "ERRP" });
    expect(parseAdminForm("s=s1&b=app", registry())).toEqual({ ok: true, command: null });
    expect(parseAdminForm("", registry())).toEqual({ ok: true, command: null });
  });
});

describe("applyAdminAction", () => {
  it("sets READY, DRAIN and MAINT, each clearing the others", () => {
    const stats = registry();
    const s3 = stats.server("app", "s3").status;
    expect(applyAdminAction("drain", s3, T0 + 1)).toBe(true);
    expect(serverStatusText(s3)).toBe("DRAIN 1/3");
    expect(applyAdminAction("maint", s3, T0 + 2)).toBe(true);
    expect(serverStatusText(s3)).toBe("MAINT");
    expect(applyAdminAction("ready", s3, T0 + 3)).toBe(true);
    expect(serverStatusText(s3)).toBe("UP 1/3");
  });

  it("counts the old enable/disable/start/stop only when they change something", () => {
    const s1 = registry().server("app", "s1").status;
    expect(applyAdminAction("enable", s1, T0)).toBe(false);
    expect(applyAdminAction("disable", s1, T0)).toBe(true);
    expect(applyAdminAction("disable", s1, T0)).toBe(false);
    expect(applyAdminAction("start", s1, T0)).toBe(false);
    expect(applyAdminAction("stop", s1, T0)).toBe(true);
  });

  it("forces health, switches checks where there are checks, and never acts on agents", () => {
    const stats = registry();
    const s1 = stats.server("app", "s1").status;
    const s4 = stats.server("app", "s4").status;
    expect(applyAdminAction("hdown", s1, T0)).toBe(true);
    expect(serverStatusText(s1)).toBe("DOWN");
    expect(applyAdminAction("hrunn", s1, T0)).toBe(true);
    expect(serverStatusText(s1)).toBe("UP");
    expect(applyAdminAction("dhlth", s1, T0)).toBe(true);
    expect(serverStatusText(s1)).toBe("no check");
    expect(applyAdminAction("dhlth", s4, T0)).toBe(false);
    expect(applyAdminAction("arunn", s1, T0)).toBe(false);
    expect(applyAdminAction("shutdown", s4, T0)).toBe(true);
  });
});

describe("adminOutcome", () => {
  it("is HAProxy's verdict", () => {
    expect(adminOutcome(0, 0)).toBe("NONE");
    expect(adminOutcome(2, 0)).toBe("ERRP");
    expect(adminOutcome(2, 1)).toBe("PART");
    expect(adminOutcome(2, 2)).toBe("DONE");
  });
});
