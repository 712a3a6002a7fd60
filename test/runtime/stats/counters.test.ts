import { describe, expect, it } from "vitest";
import { BackendCounters, FrontendCounters, ServerCounters } from "../../../src/runtime/stats/counters.js";

describe("FrontendCounters", () => {
  it("counts connections as sessions, with the highest concurrency and per-second maxima", () => {
    const frontend = new FrontendCounters();
    frontend.connectionOpened(1_000);
    frontend.connectionOpened(1_100);
    frontend.connectionClosed();
    frontend.connectionOpened(1_200);
    expect({ scur: frontend.scur, smax: frontend.smax, stot: frontend.stot, conn_tot: frontend.conn_tot }).toEqual({ scur: 2, smax: 2, stot: 3, conn_tot: 3 });
    expect(frontend.rate_max).toBe(3);
    expect(frontend.conn_rate_max).toBe(3);
    expect(frontend.rate.read(1_500)).toBe(3);
  });

  it("counts requests and responses by class, anything outside 100–599 as other", () => {
    const frontend = new FrontendCounters();
    for (const status of [100, 200, 204, 302, 404, 503, 99, 600]) frontend.responseSent(status);
    frontend.requestReceived(5_000);
    frontend.requestReceived(5_001);
    expect(frontend.hrsp).toEqual([2, 1, 2, 1, 1, 1]);
    expect(frontend.req_tot).toBe(2);
    expect(frontend.req_rate_max).toBe(2);
  });
});

describe("BackendCounters and ServerCounters", () => {
  it("count sessions, queue and the time of the last session", () => {
    const backend = new BackendCounters();
    backend.queued();
    backend.queued();
    backend.dequeued();
    backend.sessionStarted(7_000);
    backend.sessionStarted(7_500);
    backend.sessionEnded();
    expect({ qcur: backend.qcur, qmax: backend.qmax, scur: backend.scur, smax: backend.smax, stot: backend.stot }).toEqual({ qcur: 1, qmax: 2, scur: 1, smax: 2, stot: 2 });
    expect(backend.lastSessionMs).toBe(7_500);
  });

  it("average and keep the maximum of the request timers", () => {
    const server = new ServerCounters();
    expect(server.lastSessionMs).toBe(-1);
    server.recordTimes(0, 2, 10, 30);
    server.recordTimes(4, 2, 30, 50);
    expect([server.qtime_max, server.ctime_max, server.rtime_max, server.ttime_max]).toEqual([4, 2, 30, 50]);
    expect(server.ctime.average()).toBe(2);
    expect(server.rtime.average()).toBeGreaterThanOrEqual(10);
    expect(server.rtime.average()).toBeLessThanOrEqual(30);
  });
});
