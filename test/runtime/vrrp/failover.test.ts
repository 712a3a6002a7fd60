/**
 * research/runtime-semantics.md §2.14 reproduced to the millisecond: instances talk through the
 * in-memory network of lab.ts (real advert bytes, Keepalived's receive checks), so every takeover
 * below comes from the instances' own timers and decisions. Node A: `state MASTER`, prio 100,
 * 10.0.0.11; node B: `state BACKUP`, prio 90, 10.0.0.12; advert_int 1; one VIP.
 */
import { describe, expect, it } from "vitest";
import type { VrrpInstanceConfig } from "../../../src/runtime/vrrp/instance.js";
import { Lab, labConfig } from "./lab.js";

const A = labConfig({ ownAddress: "10.0.0.11", priority: 100, initialState: "MASTER" });
const B = labConfig({ ownAddress: "10.0.0.12", priority: 90 });

function pair(a: VrrpInstanceConfig = A, b: VrrpInstanceConfig = B, options: { latencyMs?: number } = {}): Lab {
  const lab = new Lab(options);
  lab.add("A", a);
  lab.add("B", b);
  lab.start("A", "B");
  return lab;
}

/** Every advert `node` sent with `priority` between `from` and `to` (inclusive), by time. */
function advertTimes(lab: Lab, node: string, priority: number, from: number, to: number): number[] {
  return lab.events.filter((e) => e.node === node && e.text === `advert ${priority}` && e.at >= from && e.at <= to).map((e) => e.at);
}

describe("§2.14: A (100) and B (90)", () => {
  it("runs the whole table: startup, A dies, B takes over, A returns and preempts", () => {
    const lab = pair();
    // t = 0: both BACKUP, notified; A's timer 3.609 s, B's 3.648 s.
    expect(lab.timeline()).toEqual(["0 A INIT→BACKUP 100", "0 B INIT→BACKUP 90"]);
    expect(lab.instance("A").timerDeadline).toBe(3609);
    expect(lab.instance("B").timerDeadline).toBe(3648);

    // 3.609: A's timer expires first: advert, VIPs, notify; then an advert every second.
    lab.runUntil(3609);
    expect(lab.timeline().slice(2)).toEqual(["3609 A advert 100", "3609 A enterMaster", "3609 A BACKUP→MASTER 100"]);
    lab.runUntil(20_999);
    expect(lab.state("B")).toBe("BACKUP");
    expect(lab.instance("B").timerDeadline).toBe(20_609 + 3648);
    expect(advertTimes(lab, "A", 100, 0, 21_000)).toEqual(Array.from({ length: 18 }, (_, i) => 3609 + 1000 * i));

    // A loses power at 21.0; B takes over 3.648 s after A's last advert (20.609).
    lab.powerOff("A");
    lab.runUntil(24_256);
    expect(lab.state("B")).toBe("BACKUP");
    lab.runUntil(24_257);
    expect(lab.timeline(/^(advert|enter|leave)|→/).filter((l) => l.startsWith("24257"))).toEqual([
      "24257 B advert 90",
      "24257 B enterMaster",
      "24257 B BACKUP→MASTER 90",
    ]);

    // 40.0: A restarts in BACKUP; B's prio-90 adverts (40.257, 41.257, …) are discarded, not re-arming A's timer.
    lab.runUntil(40_000);
    lab.restart("A");
    expect(lab.instance("A").timerDeadline).toBe(43_609);
    lab.runUntil(43_608);
    expect(lab.state("A")).toBe("BACKUP");
    expect(lab.logs.filter((l) => l.includes("discarding"))).toEqual([
      "40257 A (VI_1) received lower priority (90) advert from 10.0.0.12 - discarding",
      "41257 A (VI_1) received lower priority (90) advert from 10.0.0.12 - discarding",
      "42257 A (VI_1) received lower priority (90) advert from 10.0.0.12 - discarding",
      "43257 A (VI_1) received lower priority (90) advert from 10.0.0.12 - discarding",
    ]);

    // 43.609: A → MASTER; B sees the higher priority, drops the VIP and notifies BACKUP.
    lab.runUntil(43_609);
    expect(lab.timeline().filter((l) => l.startsWith("43609"))).toEqual([
      "43609 A advert 100",
      "43609 A enterMaster",
      "43609 A BACKUP→MASTER 100",
      "43609 B leaveMaster BACKUP",
      "43609 B MASTER→BACKUP 90",
    ]);
    lab.runUntil(100_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "BACKUP"]);
    expect(lab.drops).toEqual([]);
  });

  it("if B had won the race, A would still preempt it one Master_Down_Interval later", () => {
    const lab = new Lab();
    lab.add("A", A);
    lab.add("B", B);
    lab.start("B");
    lab.runUntil(3648);
    expect(lab.state("B")).toBe("MASTER");
    lab.runUntil(5000);
    lab.start("A");
    lab.runUntil(8608);
    expect(lab.state("A")).toBe("BACKUP");
    lab.runUntil(8609);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "BACKUP"]);
  });

  it("graceful stop of A: priority 0, and B is master after its skew time (0.648 s)", () => {
    const lab = pair();
    lab.runUntil(21_000);
    lab.instance("A").stop();
    expect(lab.timeline().filter((l) => l.startsWith("21000"))).toEqual(["21000 A advert 0", "21000 A leaveMaster STOP", "21000 A MASTER→STOP 100"]);
    lab.runUntil(21_647);
    expect(lab.state("B")).toBe("BACKUP");
    lab.runUntil(21_648);
    expect(lab.state("B")).toBe("MASTER");
    expect(lab.enteredAt("B", "MASTER")).toEqual([21_648]);
  });

  it("nopreempt: the returning higher-priority node never takes over while B lives", () => {
    const off = { preempt: { mode: "off" } as const, initialState: "BACKUP" as const };
    const lab = pair({ ...A, ...off }, { ...B, ...off });
    lab.runUntil(3609);
    expect(lab.state("A")).toBe("MASTER");
    lab.runUntil(21_000);
    lab.powerOff("A");
    lab.runUntil(40_000);
    expect(lab.enteredAt("B", "MASTER")).toEqual([24_257]);
    lab.restart("A");
    lab.runUntil(200_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["BACKUP", "MASTER"]);
  });

  it("preempt_delay 10: A takes over one Master_Down_Interval after the last lower advert it accepted within 10 s", () => {
    const delayed = { preempt: { mode: "delay", delayMs: 10_000 } as const, initialState: "BACKUP" as const };
    const lab = pair({ ...A, ...delayed }, { ...B, ...delayed });
    lab.runUntil(21_000);
    lab.powerOff("A");
    lab.runUntil(40_000);
    lab.restart("A");
    // First sight of B at 40.257 starts the delay (until 50.257); B's adverts at 41.257…49.257 are
    // still accepted, the one at 50.257 no longer: A is master at 49.257 + 3.609.
    lab.runUntil(52_865);
    expect(lab.state("A")).toBe("BACKUP");
    lab.runUntil(52_866);
    expect(lab.enteredAt("A", "MASTER")).toEqual([3609, 52_866]);
    expect(lab.enteredAt("B", "BACKUP")).toEqual([0, 52_866]);
    const firstSight = 40_257;
    expect(52_866 - firstSight).toBeGreaterThanOrEqual(10_000 + 3609 - 1000);
    expect(52_866 - firstSight).toBeLessThanOrEqual(10_000 + 3609);
  });

  it("weighted track on A (weight -20, fall 2, every 2 s): after the 2nd failure A advertises 80 and B wins 3.648 s after A's last 100", () => {
    const lab = pair({ ...A, tracks: [{ name: "chk", weight: -20, rise: 2, fall: 2, intervalMs: 2000, timeoutMs: 2000 }] });
    // The check runs at 0, 2, 4, …: OK until 8 s, failing from 10 s.
    for (let t = 0; t <= 20_000; t += 2000) {
      lab.runUntil(t);
      lab.instance("A").trackResult("chk", t < 10_000);
    }
    expect(advertTimes(lab, "A", 100, 0, 30_000).at(-1)).toBe(11_609);
    expect(advertTimes(lab, "A", 80, 0, 30_000).slice(0, 3)).toEqual([12_609, 13_609, 14_609]);
    expect(lab.enteredAt("B", "MASTER")).toEqual([11_609 + 3648]);
    expect(lab.enteredAt("A", "BACKUP")).toEqual([0, 15_257]);
    expect(lab.logs).toContain("12609 B (VI_1) received lower priority (80) advert from 10.0.0.11 - discarding");
    // The check recovers (rise 2): A is back to 100 and preempts B.
    for (let t = 22_000; t <= 24_000; t += 2000) {
      lab.runUntil(t);
      lab.instance("A").trackResult("chk", true);
    }
    expect(lab.instance("A").effectivePriority).toBe(100);
    lab.runUntil(40_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "BACKUP"]);
    // B's adverts were discarded from 24 s on, so A's timer ran out one Master_Down_Interval after the last accepted.
    expect(lab.enteredAt("A", "MASTER").at(-1)).toBe(23_257 + 3609);
  });

  it("unweighted track on A: FAULT sends priority 0, B is master after its skew; recovery goes through BACKUP", () => {
    const lab = new Lab();
    lab.add("A", { ...A, tracks: [{ name: "chk", weight: null, rise: 2, fall: 2, intervalMs: 2000, timeoutMs: 2000 }] });
    lab.add("B", B);
    lab.start("A", "B");
    // A waits silently for its check, which Keepalived runs at once.
    expect(lab.timeline()).toEqual(["0 B INIT→BACKUP 90"]);
    expect(lab.state("A")).toBe("INIT");
    lab.instance("A").trackResult("chk", true);
    expect(lab.instance("A").timerDeadline).toBe(3609);
    lab.runUntil(3609);
    expect(lab.state("A")).toBe("MASTER");
    lab.runUntil(10_000);
    lab.instance("A").trackResult("chk", false);
    lab.runUntil(12_000);
    lab.instance("A").trackResult("chk", false);
    expect(lab.timeline().filter((l) => l.startsWith("12000"))).toEqual([
      "12000 A advert 0",
      "12000 A advert 0",
      "12000 A leaveMaster FAULT",
      "12000 A MASTER→FAULT 100",
    ]);
    lab.runUntil(12_648);
    expect(lab.enteredAt("B", "MASTER")).toEqual([12_648]);
    // Back after 2 successes: BACKUP with a full Master_Down_Interval, then A preempts.
    lab.runUntil(14_000);
    lab.instance("A").trackResult("chk", true);
    lab.runUntil(16_000);
    lab.instance("A").trackResult("chk", true);
    expect(lab.state("A")).toBe("BACKUP");
    lab.runUntil(19_609);
    expect(lab.enteredAt("A", "MASTER")).toEqual([3609, 19_609]);
    expect(lab.state("B")).toBe("BACKUP");
  });
});

describe("§2.14: equal priorities 100/100", () => {
  const A100 = { ...A, initialState: "BACKUP" as const };
  const B100 = { ...B, priority: 100 };

  it("in BACKUP an equal advert is accepted: whoever became master first stays", () => {
    const lab = new Lab();
    lab.add("A", A100);
    lab.add("B", B100);
    lab.start("A");
    lab.runUntil(10_000);
    lab.start("B");
    lab.runUntil(60_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "BACKUP"]);
  });

  it("started together, both time out at 3.609 s; the higher address stays master", () => {
    const lab = pair(A100, B100);
    lab.runUntil(3609);
    expect(lab.enteredAt("A", "MASTER")).toEqual([3609]);
    expect(lab.enteredAt("B", "MASTER")).toEqual([3609]);
    expect([lab.state("A"), lab.state("B")]).toEqual(["BACKUP", "MASTER"]);
    expect(lab.logs).toContain("3609 A (VI_1) Master received advert from 10.0.0.12 with same priority 100 but higher IP address than ours");
    expect(lab.logs).toContain("3609 B (VI_1) Received advert from 10.0.0.11 with lower priority 100, ours 100, forcing new election");
    lab.runUntil(60_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["BACKUP", "MASTER"]);
  });

  it("after a partition both are master; when it heals the higher address stays", () => {
    const lab = pair(A100, B100);
    lab.runUntil(5000);
    lab.partition(true);
    lab.runUntil(20_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "MASTER"]);
    lab.partition(false);
    lab.runUntil(22_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["BACKUP", "MASTER"]);
  });

  it("a master that hears a lower priority answers at once", () => {
    const lab = pair();
    lab.runUntil(5000);
    lab.partition(true);
    lab.runUntil(20_000);
    expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "MASTER"]);
    lab.partition(false);
    // The first advert after the heal decides: B's at 20.257 reaches A, which answers at once.
    lab.runUntil(20_257);
    expect(lab.timeline().filter((l) => l.startsWith("20257"))).toEqual([
      "20257 B advert 90",
      "20257 A advert 100",
      "20257 B leaveMaster BACKUP",
      "20257 B MASTER→BACKUP 90",
    ]);
  });
});

describe("the network in between", () => {
  it("latency shifts what depends on receiving, and only that", () => {
    const lab = pair(A, B, { latencyMs: 5 });
    lab.runUntil(21_000);
    expect(lab.enteredAt("A", "MASTER")).toEqual([3609]);
    lab.powerOff("A");
    lab.runUntil(30_000);
    expect(lab.enteredAt("B", "MASTER")).toEqual([20_609 + 5 + 3648]);
  });

  it("a different password (or interval, or VIP list) and both nodes become MASTER", () => {
    for (const change of [{ auth: { type: "pass", password: "other" } as const }, { advertIntervalMs: 2000 }, { addresses: ["10.0.0.101"] }]) {
      const lab = pair(A, { ...B, ...change });
      lab.runUntil(10_000);
      expect([lab.state("A"), lab.state("B")]).toEqual(["MASTER", "MASTER"]);
      expect(lab.drops.length).toBeGreaterThan(0);
    }
    const lab = pair(A, { ...B, auth: { type: "pass", password: "other" } });
    lab.runUntil(4000);
    expect(lab.drops[0]).toBe("B: received an invalid passwd!");
  });

  it("three nodes over unicast: the next priority takes over, the lowest keeps waiting", () => {
    const peers = (own: string): string[] => ["10.0.0.11", "10.0.0.12", "10.0.0.13"].filter((a) => a !== own);
    const lab = new Lab({ latencyMs: 1 });
    lab.add("A", { ...A, unicastPeers: peers("10.0.0.11") });
    lab.add("B", { ...B, unicastPeers: peers("10.0.0.12") });
    lab.add("C", labConfig({ ownAddress: "10.0.0.13", priority: 80, unicastPeers: peers("10.0.0.13") }));
    lab.start("A", "B", "C");
    lab.runUntil(21_000);
    expect([lab.state("A"), lab.state("B"), lab.state("C")]).toEqual(["MASTER", "BACKUP", "BACKUP"]);
    lab.powerOff("A");
    lab.runUntil(60_000);
    expect(lab.enteredAt("B", "MASTER")).toEqual([20_609 + 1 + 3648]);
    expect(lab.enteredAt("C", "MASTER")).toEqual([]);
    expect(lab.drops).toEqual([]);
  });
});
