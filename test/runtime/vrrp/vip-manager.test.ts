/**
 * VipManager: the exact `ip`/`arping` commands (fake runner), then the real thing in a network
 * namespace pair built for the test (root required: the namespace tests fail without it).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { IrVip } from "../../../src/ir/types.js";
import { VipManager } from "../../../src/runtime/vrrp/vip-manager.js";
import { fakeHost } from "./fake-runner.js";
import { addressesOn, createNetnsLab, hasProgram, macOf, type NetnsLab, neighbourMac } from "./netns-lab.js";

const v4 = (address: string, prefix: number, extra: Partial<IrVip> = {}): IrVip => ({ address, prefix, family: 4, ...extra });
const v6 = (address: string, prefix: number, extra: Partial<IrVip> = {}): IrVip => ({ address, prefix, family: 6, ...extra });

const quiet = { log: () => undefined };

describe("VipManager commands", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("looks, then adds the VIP with its prefix and label as keepalived.conf writes it", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await expect(vips.claim(v4("198.18.0.10", 24, { label: "eth0:vip" }), "eth0")).resolves.toBe("added");
    expect(host.calls).toEqual([
      ["ip", "-j", "addr", "show"],
      ["ip", "-j", "-4", "route", "get", "198.18.0.10"],
      ["ip", "-4", "addr", "add", "198.18.0.10/24", "dev", "eth0", "label", "eth0:vip"],
    ]);
    expect(host.addresses.get("eth0")).toContain("198.18.0.10/24");
  });

  it("claiming twice runs nothing the second time; release deletes with the same prefix", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await vips.claim(v4("198.18.0.10", 32), "eth0");
    const before = host.calls.length;
    await expect(vips.claim(v4("198.18.0.10", 32), "eth0")).resolves.toBe("already-claimed");
    expect(host.calls.length).toBe(before);
    await expect(vips.release(v4("198.18.0.10", 32), "eth0")).resolves.toBe("removed");
    expect(host.calls.at(-1)).toEqual(["ip", "-4", "addr", "del", "198.18.0.10/32", "dev", "eth0"]);
    await expect(vips.release(v4("198.18.0.10", 32), "eth0")).resolves.toBe("not-claimed");
    expect(host.addresses.get("eth0")).toEqual(["198.18.0.1/24"]);
  });

  it("leaves an address the host already had: not added, not removed", async () => {
    const host = fakeHost({ lo: ["127.0.0.1/8"], eth0: ["198.18.0.1/24", "198.18.0.10/24"] });
    const vips = new VipManager({ run: host.run, ...quiet });
    await expect(vips.claim(v4("198.18.0.10", 24), "eth0")).resolves.toBe("already-present");
    await expect(vips.release(v4("198.18.0.10", 24), "eth0")).resolves.toBe("left-in-place");
    expect(host.calls.filter((argv) => argv.includes("add") || argv.includes("del"))).toEqual([]);
    expect(host.addresses.get("eth0")).toContain("198.18.0.10/24");
  });

  it("leaves a VIP that is local anyway (127.0.0.5 through lo's 127.0.0.0/8)", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await expect(vips.claim(v4("127.0.0.5", 32), "lo")).resolves.toBe("already-present");
    await expect(vips.releaseAll()).resolves.toBeUndefined();
    expect(host.calls).toEqual([
      ["ip", "-j", "addr", "show"],
      ["ip", "-j", "-4", "route", "get", "127.0.0.5"],
    ]);
  });

  it("an address added by someone else between the look and the add is theirs", async () => {
    const host = fakeHost();
    host.override = (argv) => (argv[3] === "add" ? { exitCode: 2, signal: null, stdout: "", stderr: "Error: ipv4: Address already assigned.\n" } : undefined);
    const vips = new VipManager({ run: host.run, ...quiet });
    await expect(vips.claim(v4("198.18.0.10", 24), "eth0")).resolves.toBe("already-present");
    await expect(vips.release(v4("198.18.0.10", 24), "eth0")).resolves.toBe("left-in-place");
    expect(host.calls.some((argv) => argv[3] === "del")).toBe(false);
  });

  it("an address deleted behind its back is released without error", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await vips.claim(v4("198.18.0.10", 24), "eth0");
    host.addresses.set("eth0", ["198.18.0.1/24"]);
    await expect(vips.release(v4("198.18.0.10", 24), "eth0")).resolves.toBe("already-gone");
  });

  it("IPv6 goes through ip -6 without DAD, a /128 deprecated, and no label", async () => {
    const host = fakeHost({ lo: ["127.0.0.1/8"], eth0: ["198.18.0.1/24"] });
    const vips = new VipManager({ run: host.run, ...quiet });
    await vips.claim(v6("2001:DB8::10", 64, { label: "eth0:v6" }), "eth0");
    await vips.claim(v6("2001:db8::11", 128), "eth0");
    const changes = host.calls.filter((argv) => argv[2] === "addr" && argv[3] !== "show");
    expect(changes).toEqual([
      ["ip", "-6", "addr", "add", "2001:DB8::10/64", "dev", "eth0", "nodad"],
      ["ip", "-6", "addr", "add", "2001:db8::11/128", "dev", "eth0", "nodad", "preferred_lft", "0"],
    ]);
    expect(host.calls).toContainEqual(["ip", "-j", "-6", "route", "get", "2001:db8::10"]);
    await vips.releaseAll();
    expect(host.calls.slice(-2)).toEqual([
      ["ip", "-6", "addr", "del", "2001:db8::11/128", "dev", "eth0"],
      ["ip", "-6", "addr", "del", "2001:DB8::10/64", "dev", "eth0"],
    ]);
  });

  it("a failure other than 'already there' is thrown with ip's message", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await expect(vips.claim(v4("198.18.0.10", 24), "nosuch0")).rejects.toThrow(/ip -4 addr add 198\.18\.0\.10\/24 dev nosuch0 failed \(exit 1: Cannot find device "nosuch0"\)/);
    expect(vips.claimed()).toEqual([]);
  });

  it("releaseAll also releases a claim asked for just before it", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    const claimed = vips.claim(v4("198.18.0.10", 24), "eth0");
    await vips.releaseAll();
    await expect(claimed).resolves.toBe("added");
    expect(host.addresses.get("eth0")).toEqual(["198.18.0.1/24"]);
  });

  it("claim and release run in call order", async () => {
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    const vip = v4("198.18.0.10", 24);
    const outcomes = await Promise.all([vips.claim(vip, "eth0"), vips.release(vip, "eth0"), vips.claim(vip, "eth0")]);
    expect(outcomes).toEqual(["added", "removed", "added"]);
  });

  it("GARP: 5 arpings per IPv4 VIP at once and 5 more after 5 s; none for IPv6 or loopback", async () => {
    vi.useFakeTimers();
    const host = fakeHost({ lo: ["127.0.0.1/8"], eth0: ["198.18.0.1/24"], eth1: [] });
    const vips = new VipManager({ run: host.run, ...quiet });
    await vips.claim(v4("198.18.0.10", 24), "eth0");
    await vips.claim(v4("198.18.2.10", 32, { dev: "eth1" }), "eth1");
    await vips.claim(v6("2001:db8::10", 64), "eth0");
    await vips.claim(v4("127.0.0.5", 32), "lo");
    host.calls.length = 0;
    await vips.announce();
    const garp = (dev: string, address: string) => ["arping", "-U", "-c", "1", "-I", dev, address];
    const firstBatch = [...Array<string[]>(5).fill(garp("eth0", "198.18.0.10")), ...Array<string[]>(5).fill(garp("eth1", "198.18.2.10"))];
    expect(host.calls).toEqual(firstBatch);
    await vi.advanceTimersByTimeAsync(4999);
    expect(host.calls.length).toBe(10);
    await vi.advanceTimersByTimeAsync(1);
    await vips.garpsSettled();
    expect(host.calls).toEqual([...firstBatch, ...firstBatch]);
  });

  it("GARP: leaving MASTER cancels the second batch", async () => {
    vi.useFakeTimers();
    const host = fakeHost();
    const vips = new VipManager({ run: host.run, ...quiet });
    await vips.claim(v4("198.18.0.10", 24), "eth0");
    await vips.announce();
    await vips.releaseAll();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.calls.filter((argv) => argv[0] === "arping").length).toBe(5);
    expect(host.addresses.get("eth0")).toEqual(["198.18.0.1/24"]);
  });

  it("GARP: garpRepeat and garpDelayMs 0 (no second batch) are honoured; a failed arping is logged", async () => {
    vi.useFakeTimers();
    const host = fakeHost();
    host.override = (argv) => (argv[0] === "arping" ? { exitCode: 2, signal: null, stdout: "", stderr: "arping: socket: Operation not permitted\n" } : undefined);
    const lines: string[] = [];
    const vips = new VipManager({ run: host.run, garpRepeat: 2, garpDelayMs: 0, log: (line) => lines.push(line) });
    await vips.claim(v4("198.18.0.10", 24), "eth0");
    await vips.announce();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(host.calls.filter((argv) => argv[0] === "arping").length).toBe(2);
    expect(lines).toEqual([
      "gratuitous ARP failed: arping -U -c 1 -I eth0 198.18.0.10 (exit 2: arping: socket: Operation not permitted)",
      "gratuitous ARP failed: arping -U -c 1 -I eth0 198.18.0.10 (exit 2: arping: socket: Operation not permitted)",
    ]);
  });
});

describe("VipManager in a network namespace (root)", () => {
  let lab: NetnsLab | undefined;

  beforeAll(async () => {
    lab = await createNetnsLab();
    if (!(await hasProgram("arping"))) throw new Error("arping is not installed: apt-get install iputils-arping");
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  function theLab(): NetnsLab {
    if (!lab) throw new Error("the namespace lab was not created (see the beforeAll error)");
    return lab;
  }

  it("adds, keeps idempotent, announces, and removes only what it added", async () => {
    const { inNode, inPeer, nodeDev, peerDev } = theLab();
    // Already there before halb: a second address of the node's own.
    const run = inNode;
    await run(["ip", "addr", "add", "198.18.0.20/24", "dev", nodeDev]);
    const vips = new VipManager({ run, garpDelayMs: 0, ...quiet });

    const vip = v4("198.18.0.10", 24, { label: `${nodeDev}:vip` });
    const theirs = v4("198.18.0.20", 24);
    const loopback = v4("127.0.0.5", 32);
    await expect(vips.claim(vip, nodeDev)).resolves.toBe("added");
    await expect(vips.claim(vip, nodeDev)).resolves.toBe("already-claimed");
    await expect(vips.claim(theirs, nodeDev)).resolves.toBe("already-present");
    await expect(vips.claim(loopback, "lo")).resolves.toBe("already-present");

    const onNode = await addressesOn(run, nodeDev);
    expect(onNode).toContainEqual({ address: "198.18.0.10", prefix: 24, label: `${nodeDev}:vip` });
    expect(onNode.filter((a) => a.address === "198.18.0.10")).toHaveLength(1);
    expect((await addressesOn(run, "lo")).map((a) => a.address)).not.toContain("127.0.0.5");

    // The peer has never talked to 198.18.0.10: only the GARP can teach it the node's MAC.
    expect(await neighbourMac(inPeer, peerDev, "198.18.0.10")).toBeUndefined();
    await vips.announce();
    expect(await neighbourMac(inPeer, peerDev, "198.18.0.10")).toBe(await macOf(run, nodeDev));

    await vips.releaseAll();
    const after = (await addressesOn(run, nodeDev)).map((a) => a.address);
    expect(after).not.toContain("198.18.0.10");
    expect(after).toContain("198.18.0.20");
    expect(after).toContain("198.18.0.1");
    expect(vips.claimed()).toEqual([]);
  });

  it("releasing twice, or after the address vanished, is fine", async () => {
    const { inNode, nodeDev } = theLab();
    const vips = new VipManager({ run: inNode, ...quiet });
    const vip = v4("198.18.1.10", 32);
    await expect(vips.claim(vip, nodeDev)).resolves.toBe("added");
    await inNode(["ip", "addr", "del", "198.18.1.10/32", "dev", nodeDev]);
    await expect(vips.release(vip, nodeDev)).resolves.toBe("already-gone");
    await expect(vips.release(vip, nodeDev)).resolves.toBe("not-claimed");
    await expect(vips.claim(vip, nodeDev)).resolves.toBe("added");
    await expect(vips.release(vip, nodeDev)).resolves.toBe("removed");
    expect((await addressesOn(inNode, nodeDev)).map((a) => a.address)).not.toContain("198.18.1.10");
  });
});
