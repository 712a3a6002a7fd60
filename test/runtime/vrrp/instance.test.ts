import { describe, expect, it } from "vitest";
import { RunInputError } from "../../../src/runtime/load-ir.js";
import {
  advertExpectations,
  advertFields,
  compareAddresses,
  instanceConfigFromIr,
  type VrrpActions,
  VrrpInstance,
  type VrrpInstanceConfig,
  type VrrpTrackConfig,
} from "../../../src/runtime/vrrp/instance.js";
import { checkAdvert, encodeAdvert } from "../../../src/runtime/vrrp/packet.js";
import { ipv6OnlyIr, nopreemptIr, preemptDelayIr, SEED_SECRETS, seedIr, twoVipsIr, unicastIr, weightIr } from "../../helpers/sample-ir.js";
import { FakeClock, labConfig } from "./lab.js";

/** One instance driven by hand: every action is recorded as `time action`. */
function bench(config: VrrpInstanceConfig) {
  const clock = new FakeClock();
  const calls: string[] = [];
  const logs: string[] = [];
  const actions: VrrpActions = {
    sendAdvert: (priority) => calls.push(`${clock.now()} advert ${priority}`),
    enterMaster: () => calls.push(`${clock.now()} enterMaster`),
    leaveMaster: (next) => calls.push(`${clock.now()} leaveMaster ${next}`),
    stateChanged: (from, to, priority) => calls.push(`${clock.now()} ${from}→${to} ${priority}`),
    log: (line) => logs.push(line),
  };
  const instance = new VrrpInstance(config, clock, actions);
  /** Takes the calls recorded so far. */
  const take = (): string[] => calls.splice(0);
  return { clock, instance, take, logs };
}

const A = labConfig({ ownAddress: "10.0.0.11", priority: 100, initialState: "MASTER" });
const B = labConfig({ ownAddress: "10.0.0.12", priority: 90 });

function track(overrides: Partial<VrrpTrackConfig> = {}): VrrpTrackConfig {
  return { name: "chk", weight: null, rise: 2, fall: 2, intervalMs: 2000, timeoutMs: 2000, ...overrides };
}

describe("VrrpInstance: startup (vrrp_init_state)", () => {
  it("starts in BACKUP, notified, with the full Master_Down_Interval even with state MASTER", () => {
    const { clock, instance, take } = bench(A);
    expect(instance.state).toBe("INIT");
    instance.start();
    expect(instance.state).toBe("BACKUP");
    expect(take()).toEqual(["0 INIT→BACKUP 100"]);
    expect(instance.timerDeadline).toBe(3609);
    clock.runUntil(3608);
    expect(take()).toEqual([]);
    clock.runUntil(3609);
    expect(instance.state).toBe("MASTER");
    // Keepalived's order: the advert first (so the old master drops the VIPs), then the VIPs, then notify.
    expect(take()).toEqual(["3609 advert 100", "3609 enterMaster", "3609 BACKUP→MASTER 100"]);
    clock.runUntil(5609);
    expect(take()).toEqual(["4609 advert 100", "5609 advert 100"]);
  });

  it("the address owner with state MASTER becomes master at once", () => {
    const { instance, take } = bench({ ...A, priority: 255 });
    instance.start();
    expect(instance.state).toBe("MASTER");
    expect(take()).toEqual(["0 advert 255", "0 enterMaster", "0 INIT→MASTER 255"]);
  });

  it("the owner with state BACKUP waits like anyone (its skew is 3 ms)", () => {
    const { clock, instance, take } = bench({ ...B, priority: 255 });
    instance.start();
    expect(take()).toEqual(["0 INIT→BACKUP 255"]);
    clock.runUntil(3003);
    expect(take()).toEqual(["3003 advert 255", "3003 enterMaster", "3003 BACKUP→MASTER 255"]);
  });

  it("can only start once", () => {
    const { instance } = bench(B);
    instance.start();
    expect(() => instance.start()).toThrow(/already started/);
  });
});

describe("VrrpInstance: BACKUP receiving (vrrp_state_backup)", () => {
  it("an equal or higher priority advert restarts the down timer", () => {
    const { clock, instance, take } = bench(B);
    instance.start();
    take();
    clock.runUntil(2000);
    instance.receive({ priority: 100 }, "10.0.0.11");
    expect(instance.timerDeadline).toBe(2000 + 3648);
    clock.runUntil(3000);
    instance.receive({ priority: 90 }, "10.0.0.11");
    expect(instance.timerDeadline).toBe(3000 + 3648);
    clock.runUntil(6647);
    expect(instance.state).toBe("BACKUP");
    clock.runUntil(6648);
    expect(instance.state).toBe("MASTER");
  });

  it("a lower priority advert is discarded and the running timer goes on", () => {
    const { clock, instance, logs } = bench(A);
    instance.start();
    clock.runUntil(1000);
    instance.receive({ priority: 90 }, "10.0.0.12");
    expect(instance.timerDeadline).toBe(3609);
    expect(logs).toContain("(VI_1) received lower priority (90) advert from 10.0.0.12 - discarding");
    clock.runUntil(3609);
    expect(instance.state).toBe("MASTER");
  });

  it("priority 0 from the master: take over after the skew time only", () => {
    const { clock, instance, take } = bench(B);
    instance.start();
    clock.runUntil(1500);
    instance.receive({ priority: 0 }, "10.0.0.11");
    expect(instance.timerDeadline).toBe(1500 + 648);
    take();
    clock.runUntil(2148);
    expect(take()).toEqual(["2148 advert 90", "2148 enterMaster", "2148 BACKUP→MASTER 90"]);
  });

  it("nopreempt accepts lower priority adverts as a master's, so it never takes over from a live master", () => {
    const { clock, instance } = bench({ ...A, initialState: "BACKUP", preempt: { mode: "off" } });
    instance.start();
    for (let t = 500; t <= 20_500; t += 1000) {
      clock.runUntil(t);
      instance.receive({ priority: 90 }, "10.0.0.12");
    }
    expect(instance.state).toBe("BACKUP");
    clock.runUntil(20_500 + 3609);
    expect(instance.state).toBe("MASTER");
  });

  it("nopreempt and preempt_delay do nothing with state MASTER (Keepalived clears them)", () => {
    for (const preempt of [{ mode: "off" } as const, { mode: "delay", delayMs: 10_000 } as const]) {
      const { clock, instance } = bench({ ...A, initialState: "MASTER", preempt });
      instance.start();
      clock.runUntil(500);
      instance.receive({ priority: 90 }, "10.0.0.12");
      clock.runUntil(3609);
      expect(instance.state).toBe("MASTER");
    }
  });

  it("preempt_delay accepts lower adverts until the delay from the first one has passed", () => {
    const { clock, instance } = bench({ ...A, initialState: "BACKUP", preempt: { mode: "delay", delayMs: 10_000 } });
    instance.start();
    for (let t = 1000; t <= 11_000; t += 1000) {
      clock.runUntil(t);
      instance.receive({ priority: 90 }, "10.0.0.12");
    }
    // Accepted at 1000…10000 (the delay ends at 11000, not after it), discarded at 11000.
    expect(instance.timerDeadline).toBe(10_000 + 3609);
    clock.runUntil(13_609);
    expect(instance.state).toBe("MASTER");
  });

  it("preempt_delay starts over once a higher priority advert was seen", () => {
    const { clock, instance } = bench({ ...A, initialState: "BACKUP", preempt: { mode: "delay", delayMs: 5000 } });
    instance.start();
    clock.runUntil(1000);
    instance.receive({ priority: 90 }, "10.0.0.12");
    clock.runUntil(2000);
    instance.receive({ priority: 110 }, "10.0.0.13");
    // The delay starts again with the next lower advert (4000), so it ends at 9000.
    for (const t of [4000, 5000, 6000, 7000, 8000, 8999]) {
      clock.runUntil(t);
      instance.receive({ priority: 90 }, "10.0.0.12");
    }
    expect(instance.timerDeadline).toBe(8999 + 3609);
    clock.runUntil(9000);
    instance.receive({ priority: 90 }, "10.0.0.12");
    expect(instance.timerDeadline).toBe(8999 + 3609);
    expect(instance.state).toBe("BACKUP");
  });
});

describe("VrrpInstance: MASTER receiving (vrrp_state_master_rx)", () => {
  function master(config: VrrpInstanceConfig = A) {
    const b = bench(config);
    b.instance.start();
    b.clock.runUntil(masterDeadline(b.instance));
    b.take();
    return b;
  }
  const masterDeadline = (instance: VrrpInstance): number => instance.timerDeadline ?? 0;

  it("a lower priority advert: an advert at once ('forcing new election'), and the advert timer restarts", () => {
    const { clock, instance, take, logs } = master();
    clock.runUntil(4000);
    instance.receive({ priority: 90 }, "10.0.0.12");
    expect(take()).toEqual(["4000 advert 100"]);
    expect(logs).toContain("(VI_1) Received advert from 10.0.0.12 with lower priority 90, ours 100, forcing new election");
    expect(instance.timerDeadline).toBe(5000);
    expect(instance.state).toBe("MASTER");
  });

  it("priority 0 from another master: an advert at once, still master", () => {
    const { clock, instance, take } = master();
    clock.runUntil(4000);
    instance.receive({ priority: 0 }, "10.0.0.12");
    expect(take()).toEqual(["4000 advert 100"]);
    expect(instance.state).toBe("MASTER");
  });

  it("a higher priority advert: VIPs removed, then notified BACKUP, down timer armed", () => {
    const { clock, instance, take } = master();
    clock.runUntil(4000);
    instance.receive({ priority: 110 }, "10.0.0.9");
    expect(instance.state).toBe("BACKUP");
    expect(take()).toEqual(["4000 leaveMaster BACKUP", "4000 MASTER→BACKUP 100"]);
    expect(instance.timerDeadline).toBe(4000 + 3609);
  });

  it("equal priority: the higher primary address wins, compared as numbers", () => {
    const low = master(labConfig({ ownAddress: "10.0.0.9", priority: 100 }));
    low.clock.runUntil(4000);
    low.instance.receive({ priority: 100 }, "10.0.0.10");
    expect(low.instance.state).toBe("BACKUP");
    expect(low.logs).toContain("(VI_1) Master received advert from 10.0.0.10 with same priority 100 but higher IP address than ours");

    const high = master(labConfig({ ownAddress: "10.0.0.10", priority: 100 }));
    high.clock.runUntil(4000);
    high.instance.receive({ priority: 100 }, "10.0.0.9");
    expect(high.instance.state).toBe("MASTER");
    expect(high.take()).toEqual(["4000 advert 100"]);
  });

  it("equal priority from our own address: a warning only", () => {
    const { clock, instance, take, logs } = master();
    clock.runUntil(4000);
    instance.receive({ priority: 100 }, "10.0.0.11");
    expect(instance.state).toBe("MASTER");
    expect(take()).toEqual([]);
    expect(logs).toContain("(VI_1) WARNING - equal priority advert received from remote host with our IP address.");
  });

  it("two address owners: the local one drops to 254 and yields", () => {
    const { clock, instance, logs } = bench({ ...A, priority: 255 });
    instance.start();
    clock.runUntil(500);
    instance.receive({ priority: 255 }, "10.0.0.12");
    expect(instance.state).toBe("BACKUP");
    expect(instance.effectivePriority).toBe(254);
    expect(logs.some((l) => l.includes("CONFIGURATION ERROR"))).toBe(true);
  });
});

describe("VrrpInstance: stopping", () => {
  it("a master sends priority 0 first, then drops the VIPs, then notifies STOP", () => {
    const { clock, instance, take } = bench(A);
    instance.start();
    clock.runUntil(5000);
    take();
    instance.stop();
    expect(take()).toEqual(["5000 advert 0", "5000 leaveMaster STOP", "5000 MASTER→STOP 100"]);
    clock.runUntil(60_000);
    expect(take()).toEqual([]);
    instance.receive({ priority: 200 }, "10.0.0.12");
    expect(take()).toEqual([]);
    expect(instance.state).toBe("STOP");
  });

  it("a backup only notifies; an instance never started does nothing", () => {
    const { instance, take } = bench(B);
    instance.start();
    take();
    instance.stop();
    expect(take()).toEqual(["0 BACKUP→STOP 90"]);
    const idle = bench(B);
    idle.instance.stop();
    expect(idle.take()).toEqual([]);
    expect(idle.instance.state).toBe("STOP");
  });
});

describe("VrrpInstance: weighted tracking (vrrp_set_effective_priority)", () => {
  it("a negative weight counts while failing, from the first result; the first success changes nothing", () => {
    const { instance } = bench({ ...A, tracks: [track({ weight: -20 })] });
    instance.start();
    instance.trackResult("chk", true);
    expect(instance.effectivePriority).toBe(100);
    instance.trackResult("chk", false);
    expect(instance.effectivePriority).toBe(100);
    instance.trackResult("chk", false);
    expect(instance.effectivePriority).toBe(80);
    instance.trackResult("chk", true);
    instance.trackResult("chk", true);
    expect(instance.effectivePriority).toBe(100);
  });

  it("a positive weight counts while OK; the result is clamped to [1, 254]", () => {
    const up = bench({ ...A, priority: 250, tracks: [track({ weight: 10 })] });
    up.instance.trackResult("chk", true);
    expect(up.instance.effectivePriority).toBe(254);
    const down = bench({ ...A, priority: 5, tracks: [track({ weight: -20, name: "a" }), track({ weight: -253, name: "b" })] });
    down.instance.trackResult("a", false);
    down.instance.trackResult("b", false);
    expect(down.instance.effectivePriority).toBe(1);
  });

  it("the owner's priority never moves", () => {
    const { instance } = bench({ ...A, priority: 255, tracks: [track({ weight: -20 })] });
    instance.trackResult("chk", false);
    expect(instance.effectivePriority).toBe(255);
  });

  it("in BACKUP the running down timer moves with the new skew", () => {
    const { clock, instance, take } = bench({ ...B, tracks: [track({ weight: 10, rise: 1, fall: 1 })] });
    instance.start();
    expect(instance.timerDeadline).toBe(3648);
    clock.runUntil(1000);
    instance.trackResult("chk", true);
    expect(instance.effectivePriority).toBe(100);
    expect(instance.timerDeadline).toBe(3609);
    clock.runUntil(2000);
    instance.trackResult("chk", false);
    expect(instance.timerDeadline).toBe(3648);
    take();
    clock.runUntil(3648);
    expect(take()).toEqual(["3648 advert 90", "3648 enterMaster", "3648 BACKUP→MASTER 90"]);
  });

  it("in MASTER the new priority only goes out with the next advert", () => {
    const { clock, instance, take } = bench({ ...A, tracks: [track({ weight: -20, rise: 1, fall: 1 })] });
    instance.start();
    clock.runUntil(3609);
    take();
    clock.runUntil(4000);
    instance.trackResult("chk", false);
    expect(take()).toEqual([]);
    clock.runUntil(4609);
    expect(take()).toEqual(["4609 advert 80"]);
  });

  it("refuses results for a check it does not track", () => {
    const { instance } = bench(A);
    expect(() => instance.trackResult("nope", true)).toThrow(/no check named "nope"/);
  });
});

describe("VrrpInstance: unweighted tracking (FAULT)", () => {
  it("waits in INIT, silently, until the check has reported once; a success then means BACKUP", () => {
    const { clock, instance, take } = bench({ ...A, tracks: [track()] });
    instance.start();
    expect(instance.state).toBe("INIT");
    expect(instance.timerDeadline).toBeNull();
    clock.runUntil(10_000);
    instance.receive({ priority: 90 }, "10.0.0.12");
    expect(take()).toEqual([]);
    instance.trackResult("chk", true);
    expect(instance.state).toBe("BACKUP");
    expect(take()).toEqual(["10000 INIT→BACKUP 100"]);
    expect(instance.timerDeadline).toBe(13_609);
  });

  it("a first failure means FAULT, notified; it needs `rise` successes to leave", () => {
    const { instance, take } = bench({ ...A, tracks: [track()] });
    instance.start();
    instance.trackResult("chk", false);
    expect(instance.state).toBe("FAULT");
    expect(take()).toEqual(["0 INIT→FAULT 100"]);
    instance.trackResult("chk", true);
    expect(instance.state).toBe("FAULT");
    instance.trackResult("chk", true);
    expect(instance.state).toBe("BACKUP");
    expect(take()).toEqual(["0 FAULT→BACKUP 100"]);
  });

  it("results before start are counted: a failed check starts the instance in FAULT", () => {
    const { instance, take } = bench({ ...A, tracks: [track()] });
    instance.trackResult("chk", false);
    instance.start();
    expect(instance.state).toBe("FAULT");
    expect(take()).toEqual(["0 INIT→FAULT 100"]);
  });

  it("a master going to FAULT sends priority 0 (twice, as Keepalived), drops the VIPs, then notifies", () => {
    const { clock, instance, take } = bench({ ...A, tracks: [track()] });
    instance.trackResult("chk", true);
    instance.start();
    clock.runUntil(5000);
    take();
    instance.trackResult("chk", false);
    expect(instance.state).toBe("MASTER");
    instance.trackResult("chk", false);
    expect(instance.state).toBe("FAULT");
    expect(take()).toEqual(["5000 advert 0", "5000 advert 0", "5000 leaveMaster FAULT", "5000 MASTER→FAULT 100"]);
    // FAULT: no timer, adverts ignored.
    expect(instance.timerDeadline).toBeNull();
    instance.receive({ priority: 50 }, "10.0.0.12");
    clock.runUntil(20_000);
    expect(take()).toEqual([]);
  });

  it("every unweighted check must have reported and none fail", () => {
    const { instance, take } = bench({ ...A, tracks: [track({ name: "a", rise: 1, fall: 1 }), track({ name: "b", rise: 1, fall: 1 })] });
    instance.start();
    instance.trackResult("a", true);
    expect(instance.state).toBe("INIT");
    instance.trackResult("b", false);
    expect(instance.state).toBe("FAULT");
    instance.trackResult("a", false);
    instance.trackResult("b", true);
    expect(instance.state).toBe("FAULT");
    instance.trackResult("a", true);
    expect(instance.state).toBe("BACKUP");
    expect(take()).toEqual(["0 INIT→FAULT 100", "0 FAULT→BACKUP 100"]);
  });

  it("weight 0 is unweighted too (as `weight 0` in keepalived.conf)", () => {
    const { instance } = bench({ ...A, tracks: [track({ weight: 0 })] });
    instance.start();
    expect(instance.state).toBe("INIT");
    instance.trackResult("chk", false);
    expect(instance.state).toBe("FAULT");
  });

  it("the owner with state MASTER leaves FAULT straight to MASTER", () => {
    const { instance, take } = bench({ ...A, priority: 255, tracks: [track({ rise: 1 })] });
    instance.start();
    expect(instance.state).toBe("INIT");
    instance.trackResult("chk", true);
    expect(take()).toEqual(["0 advert 255", "0 enterMaster", "0 INIT→MASTER 255"]);
  });
});

describe("compareAddresses (the equal-priority tie-break)", () => {
  it("compares IPv4 as unsigned numbers, not as text", () => {
    expect(compareAddresses("10.0.0.12", "10.0.0.11")).toBe(1);
    expect(compareAddresses("10.0.0.9", "10.0.0.10")).toBe(-1);
    expect(compareAddresses("192.168.1.1", "10.255.255.255")).toBe(1);
    expect(compareAddresses("10.0.0.1", "10.0.0.1")).toBe(0);
  });

  it("compares IPv6 the same way; different families compare equal", () => {
    expect(compareAddresses("2001:db8::10", "2001:db8::9")).toBe(1);
    expect(compareAddresses("2001:db8::1:0", "2001:db8::ffff")).toBe(1);
    expect(compareAddresses("::ffff:10.0.0.1", "::ffff:9.0.0.1")).toBe(1);
    expect(compareAddresses("fe80::1", "2001:db8::1")).toBe(1);
    expect(compareAddresses("10.0.0.1", "2001:db8::1")).toBe(0);
  });
});

describe("instanceConfigFromIr (what keepalived.conf would say)", () => {
  const env = (name: string): string | undefined => SEED_SECRETS.get(name);

  it("gives the seed's master: VRID, priority, state, PASS from the environment, VIPs, tracks", () => {
    const config = instanceConfigFromIr(seedIr, "haproxy-server", env);
    expect(config).toEqual({
      name: "zb",
      version: 2,
      vrid: 51,
      priority: 100,
      advertIntervalMs: 1000,
      preempt: { mode: "on" },
      initialState: "MASTER",
      auth: { type: "pass", password: "vrrp-pw1" },
      addresses: ["192.168.66.10"],
      excludedAddresses: [],
      interface: "eth0",
      ownAddress: "192.168.66.11",
      unicastPeers: [],
      tracks: [{ name: "haproxy", weight: null, rise: 2, fall: 2, intervalMs: 2000, timeoutMs: 2000 }],
    });
    expect(instanceConfigFromIr(seedIr, "backup-haproxy", env)).toMatchObject({ priority: 90, initialState: "BACKUP", ownAddress: "192.168.66.12" });
  });

  it("unicast peers are the other nodes", () => {
    expect(instanceConfigFromIr(unicastIr, "backup-haproxy", env)).toMatchObject({ unicastPeers: ["192.168.66.11", "192.168.66.13"] });
    expect(instanceConfigFromIr(unicastIr, "third", env)).toMatchObject({ interface: "eth1", priority: 80 });
  });

  it("preempt modes and weights pass through", () => {
    expect(instanceConfigFromIr(nopreemptIr, "haproxy-server", env)).toMatchObject({ preempt: { mode: "off" }, initialState: "BACKUP" });
    expect(instanceConfigFromIr(preemptDelayIr, "haproxy-server", env)).toMatchObject({ preempt: { mode: "delay", delayMs: 30000 } });
    expect(instanceConfigFromIr(weightIr, "haproxy-server", env).tracks[0]).toMatchObject({ weight: -20, rise: 2, fall: 1, intervalMs: 1000 });
  });

  it("advertises the first VIP's family only; IPv6 first means VRRPv3 without authentication", () => {
    expect(instanceConfigFromIr(twoVipsIr, "haproxy-server", env)).toMatchObject({ addresses: ["192.168.66.10"], excludedAddresses: ["2001:db8::10"] });
    expect(instanceConfigFromIr(ipv6OnlyIr, "haproxy-server", env)).toMatchObject({ version: 3, auth: { type: "none" }, addresses: ["2001:db8::10"] });
  });

  it("a written password is used as is; a missing variable or node is the user's error", () => {
    const literal = { ...seedIr, cluster: { ...seedIr.cluster, vrrp: { ...seedIr.cluster.vrrp, auth: { value: "longer-than-8" } } } };
    expect(instanceConfigFromIr(literal, "haproxy-server", () => undefined).auth).toEqual({ type: "pass", password: "longer-than-8" });
    expect(() => instanceConfigFromIr(seedIr, "haproxy-server", () => undefined)).toThrow(RunInputError);
    expect(() => instanceConfigFromIr(seedIr, "haproxy-server", () => undefined)).toThrow(/VRRP_PASS/);
    expect(() => instanceConfigFromIr(seedIr, "nobody", env)).toThrow(RunInputError);
  });

  it("what one node sends, the other accepts", () => {
    const master = instanceConfigFromIr(seedIr, "haproxy-server", env);
    const backup = instanceConfigFromIr(seedIr, "backup-haproxy", env);
    const result = checkAdvert(encodeAdvert(advertFields(master, 100)), advertExpectations(backup));
    expect(result.ok).toBe(true);
  });
});
