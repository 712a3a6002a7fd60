/**
 * A mixed pair: one node runs the real Keepalived on its compiled keepalived.conf, the other
 * `halb run` with VRRPv2 on the wire (IP protocol 112 from a raw socket). Two network namespaces
 * joined by a veth pair, lab addresses from 198.18.0.0/15 only. They must elect each other and
 * fail over in both directions. Needs root (CI runs as root).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findBinary } from "../../helpers/daemons.js";
import { BIN, compileSpec, sleep } from "../run/harness.js";
import { addressesOn, createNetnsLab, type NetnsLab } from "./netns-lab.js";

const VIP = "198.18.0.100";

interface Daemon {
  readonly child: ChildProcess;
  readonly output: string[];
}

function collect(child: ChildProcess): Daemon {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => output.push(...chunk.split("\n").filter(Boolean)));
  }
  return { child, output };
}

/** Keepalived in `namespace` on the node's compiled folder, mounted where the config expects its scripts. */
function startKeepalived(namespace: string, nodeDir: string, runDir: string): Daemon {
  const script = 'mkdir -p /etc/keepalived && mount --bind "$1" /etc/keepalived && exec "$2" -n -l -D -f /etc/keepalived/keepalived.conf -p "$3/k.pid" -r "$3/v.pid" -c "$3/c.pid"';
  const child = spawn(findBinary("ip"), ["netns", "exec", namespace, findBinary("unshare"), "-m", "sh", "-c", script, "sh", nodeDir, findBinary("keepalived"), runDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child);
}

function startHalb(namespace: string, out: string, node: string): Daemon {
  const child = spawn(findBinary("ip"), ["netns", "exec", namespace, process.execPath, BIN, "run", out, "--node", node, "--vrrp", "raw"], { stdio: ["ignore", "pipe", "pipe"] });
  return collect(child);
}

async function until(test: () => Promise<boolean> | boolean, timeoutMs: number, what: string, daemons: Daemon[]): Promise<number> {
  const start = performance.now();
  while (!(await test())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${daemons.map((d) => d.output.slice(-15).join("\n")).join("\n---\n")}`);
    await sleep(25);
  }
  return (performance.now() - start) / 1000;
}

async function stopDaemon(daemon: Daemon, signal: NodeJS.Signals): Promise<void> {
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) return;
  const exited = new Promise((resolve) => daemon.child.once("exit", resolve));
  daemon.child.kill(signal);
  await exited;
}

function spec(): string {
  return `cluster mix {
  interface vip0
  vip ${VIP}/24
  vrid 61
  advert 1s
  node lb1 198.18.0.1 master priority 100
  node lb2 198.18.0.2 backup priority 90 { interface vip1 }
}
defaults {
  mode http
  timeout connect 1s client 5s server 5s
}
frontend www {
  bind vip:8080
  default -> web
}
backend web {
  server s 198.18.0.1:9
}
`;
}

describe("a pair of Keepalived and halb run, VRRPv2 on the wire", () => {
  let lab: NetnsLab | null = null;
  const daemons: Daemon[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const daemon of daemons.splice(0)) await stopDaemon(daemon, "SIGKILL");
    await lab?.destroy();
    lab = null;
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function hasVip(run: NetnsLab["inNode"], dev: string): Promise<boolean> {
    return (await addressesOn(run, dev)).some((address) => address.address === VIP);
  }

  it("Keepalived master, halb run backup: halb takes over when Keepalived dies, and gives the VIP back", async () => {
    lab = await createNetnsLab();
    const compiled = compileSpec(spec());
    cleanups.push(compiled.cleanup);
    const runDir = mkdtempSync(join(tmpdir(), "halb-mixed-"));
    cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
    const keepalived = startKeepalived(lab.node, join(compiled.out, "lb1"), runDir);
    const halb = startHalb(lab.peer, compiled.out, "lb2");
    daemons.push(keepalived, halb);
    const all = [keepalived, halb];

    await until(() => hasVip(lab!.inNode, lab!.nodeDev), 10_000, "Keepalived to hold the VIP", all);
    await until(() => halb.output.some((line) => line.includes("Entering BACKUP STATE")), 5000, "halb run to be BACKUP", all);
    expect(await hasVip(lab.inPeer, lab.peerDev)).toBe(false);

    await stopDaemon(keepalived, "SIGKILL");
    const takeover = await until(() => hasVip(lab!.inPeer, lab!.peerDev), 6000, "halb run to take the VIP", all);
    // Keepalived's VRRP process outlives its parent long enough to send priority 0 as it stops.
    console.log(`mixed pair, Keepalived killed: halb run holds the VIP after ${takeover.toFixed(2)} s`);
    expect(takeover).toBeLessThan(3.648 + 0.5);

    // A fresh folder for its pid files: the killed one's VRRP child may still be finishing.
    const againDir = mkdtempSync(join(tmpdir(), "halb-mixed-"));
    cleanups.push(() => rmSync(againDir, { recursive: true, force: true }));
    const again = startKeepalived(lab.node, join(compiled.out, "lb1"), againDir);
    daemons.push(again);
    await until(() => hasVip(lab!.inNode, lab!.nodeDev), 10_000, "Keepalived to preempt", [again, halb]);
    await until(async () => !(await hasVip(lab!.inPeer, lab!.peerDev)), 3000, "halb run to release the VIP", [again, halb]);
  });

  it("halb run master, Keepalived backup: Keepalived takes over at once on halb's graceful stop", async () => {
    lab = await createNetnsLab();
    const compiled = compileSpec(spec());
    cleanups.push(compiled.cleanup);
    const runDir = mkdtempSync(join(tmpdir(), "halb-mixed-"));
    cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
    // Here halb run is lb1 (priority 100) in the first namespace and Keepalived lb2 in the second.
    const halb = startHalb(lab.node, compiled.out, "lb1");
    const keepalived = startKeepalived(lab.peer, join(compiled.out, "lb2"), runDir);
    daemons.push(halb, keepalived);
    const all = [halb, keepalived];

    await until(() => hasVip(lab!.inNode, lab!.nodeDev), 10_000, "halb run to hold the VIP", all);
    await sleep(1500);
    expect(await hasVip(lab.inPeer, lab.peerDev)).toBe(false);

    const stoppedAt = performance.now();
    halb.child.kill("SIGTERM");
    await until(() => hasVip(lab!.inPeer, lab!.peerDev), 4000, "Keepalived to take the VIP", all);
    const seconds = (performance.now() - stoppedAt) / 1000;
    console.log(`mixed pair, halb run stopped: Keepalived holds the VIP after ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(1.5);
    expect(await hasVip(lab.inNode, lab.nodeDev)).toBe(false);
  });
});
