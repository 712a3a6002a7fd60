import { describe, expect, it } from "vitest";
import { BackendStatus } from "../../../src/runtime/stats/backend-status.js";
import type { CheckStatus } from "../../../src/runtime/stats/check-status.js";
import { type ServerStatusInit, ServerStatus } from "../../../src/runtime/stats/server-status.js";
import { backendStatusText, serverStatusText } from "../../../src/runtime/stats/status-text.js";

const T0 = 1_000_000;

function makeBackend(servers: Partial<ServerStatusInit>[], allBackups = false): { backend: BackendStatus; list: ServerStatus[] } {
  const backend = new BackendStatus(allBackups, T0);
  const list = servers.map(
    (init, index) => new ServerStatus({ name: `s${index + 1}`, weight: 1, backup: false, disabled: false, check: { rise: 2, fall: 3 }, ...init }, backend, T0),
  );
  backend.start(T0);
  return { backend, list };
}

function report(status: CheckStatus, health: number, code?: number) {
  return { status, health, durationMs: 2, description: status === "L4CON" ? "Connection refused" : "", ...(code === undefined ? {} : { code }) };
}

describe("ServerStatus", () => {
  it("starts a checked server UP with health = rise, as HAProxy does: UP 1/3 until the first check", () => {
    const { list } = makeBackend([{}]);
    const [server] = list;
    if (!server) throw new Error("one server");
    expect(serverStatusText(server)).toBe("UP 1/3");
    expect(server.check?.status).toBe("INI");
    server.recordCheck(report("L7OK", 4, 200), T0 + 100);
    expect(serverStatusText(server)).toBe("UP");
    expect(server.lastChangeMs).toBe(T0); // no state change: it was already running
  });

  it("goes DOWN when health falls below rise, counts the failed checks made with health left, and the downtime", () => {
    const { list, backend } = makeBackend([{}]);
    const [server] = list;
    if (!server) throw new Error("one server");
    server.recordCheck(report("L7OK", 4, 200), T0 + 100);
    server.recordCheck(report("L4CON", 3), T0 + 200);
    expect(serverStatusText(server)).toBe("UP 2/3");
    server.recordCheck(report("L4CON", 2), T0 + 300);
    expect(serverStatusText(server)).toBe("UP 1/3");
    server.recordCheck(report("L4CON", 0), T0 + 400);
    server.recordCheck(report("L4CON", 0), T0 + 500);
    expect(serverStatusText(server)).toBe("DOWN");
    expect(server.chkfail).toBe(3);
    expect(server.chkdown).toBe(1);
    expect(server.lastChangeMs).toBe(T0 + 400);
    expect(backend.up).toBe(false);
    server.recordCheck(report("L7OK", 1, 200), T0 + 2_400);
    expect(serverStatusText(server)).toBe("DOWN 1/2");
    server.recordCheck(report("L7OK", 4, 200), T0 + 2_900);
    expect(serverStatusText(server)).toBe("UP");
    expect(server.downtimeMs(T0 + 10_000)).toBe(2_500);
    expect(backend.up).toBe(true);
    expect(backend.chkdown).toBe(1);
    expect(backend.downtimeMs(T0 + 10_000)).toBe(2_500);
  });

  it("enters maintenance from UP as a down transition, pauses checks, and comes back with health = rise", () => {
    const { list } = makeBackend([{}]);
    const [server] = list;
    if (!server) throw new Error("one server");
    server.recordCheck(report("L7OK", 4, 200), T0 + 100);
    server.setMaintenance(true, T0 + 1_000);
    expect(serverStatusText(server)).toBe("MAINT");
    expect(server.chkdown).toBe(1);
    expect(server.checkActive).toBe(false);
    server.recordCheck(report("L4CON", 0), T0 + 1_500); // ignored: checks are paused
    expect(server.check?.status).toBe("L7OK");
    server.setMaintenance(false, T0 + 3_000);
    expect(serverStatusText(server)).toBe("UP 1/3");
    expect(server.lastChangeMs).toBe(T0 + 3_000);
    expect(server.downtimeMs(T0 + 5_000)).toBe(2_000);
  });

  it("keeps the time of the last change when a DOWN server enters maintenance", () => {
    const { list } = makeBackend([{}]);
    const [server] = list;
    if (!server) throw new Error("one server");
    server.recordCheck(report("L4CON", 0), T0 + 100);
    server.setMaintenance(true, T0 + 900);
    expect(server.lastChangeMs).toBe(T0 + 100);
    expect(server.chkdown).toBe(1);
  });

  it("starts a disabled server in maintenance, down since the start", () => {
    const { list } = makeBackend([{ disabled: true }]);
    const [server] = list;
    if (!server) throw new Error("one server");
    expect(serverStatusText(server)).toBe("MAINT");
    expect(server.downtimeMs(T0 + 4_000)).toBe(4_000);
    expect(server.chkdown).toBe(0);
  });

  it("names every state as HAProxy's page does", () => {
    const { list } = makeBackend([{ check: null }, {}]);
    const [unchecked, checked] = list;
    if (!unchecked || !checked) throw new Error("two servers");
    expect(serverStatusText(unchecked)).toBe("no check");
    unchecked.setDrain(true, T0);
    expect(serverStatusText(unchecked)).toBe("DRAIN");
    checked.setDrain(true, T0);
    expect(serverStatusText(checked)).toBe("DRAIN 1/3");
    checked.forceHealth("stopping", T0);
    expect(serverStatusText(checked)).toBe("NOLB");
    checked.recordCheck(report("L4TOUT", 3), T0 + 1);
    expect(serverStatusText(checked)).toBe("NOLB 2/3");
    checked.forceHealth("stopped", T0 + 2);
    expect(serverStatusText(checked)).toBe("DOWN");
    unchecked.forceHealth("stopped", T0 + 2);
    expect(serverStatusText(unchecked)).toBe("DOWN");
    checked.setCheckEnabled(false);
    expect(serverStatusText(checked)).toBe("DOWN");
    checked.forceHealth("running", T0 + 3);
    checked.setDrain(false, T0 + 3);
    expect(serverStatusText(checked)).toBe("no check");
  });
});

describe("BackendStatus", () => {
  it("weighs the usable active servers, else the first usable backup, or all backups with allbackups", () => {
    const servers: Partial<ServerStatusInit>[] = [{ weight: 3 }, { weight: 0 }, { backup: true, weight: 2 }, { backup: true, weight: 5 }];
    const { backend, list } = makeBackend(servers);
    expect(backend.weights()).toEqual({ act: 1, bck: 2, weight: 3 });
    list[0]?.setDrain(true, T0 + 1);
    expect(backend.weights()).toEqual({ act: 0, bck: 2, weight: 2 });
    expect(backendStatusText(backend, false)).toBe("UP");
    const withAll = makeBackend(servers, true);
    withAll.list[0]?.setMaintenance(true, T0 + 1);
    expect(withAll.backend.weights()).toEqual({ act: 0, bck: 2, weight: 7 });
  });

  it("is DOWN without usable weight, counts the transition, and shows server counts on request", () => {
    const { backend, list } = makeBackend([{}, { check: null }, { disabled: true }]);
    list[0]?.recordCheck(report("L4CON", 0), T0 + 10);
    expect(backendStatusText(backend, true)).toBe("UP (1/3)");
    list[1]?.setDrain(true, T0 + 20);
    expect(backend.up).toBe(false);
    expect(backend.chkdown).toBe(1);
    expect(backend.lastChangeMs).toBe(T0 + 20);
    expect(backendStatusText(backend, true)).toBe("DOWN (1/3)");
  });

  it("is UP without servers, like the stats page's own backend", () => {
    const backend = new BackendStatus(false, T0);
    backend.start(T0);
    expect(backend.up).toBe(true);
    expect(backend.weights()).toEqual({ act: 0, bck: 0, weight: 0 });
  });
});
