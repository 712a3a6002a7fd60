/**
 * A throwaway two-host lab for the VIP tests: namespaces `halb-vip-<random>` (the node) and
 * `…-peer` (a neighbour on the same link), joined by a veth pair, with lab addresses from
 * 198.18.0.0/15 only. The peer creates neighbour entries from gratuitous ARP (arp_accept=1), so
 * `ip neigh` there shows whether a GARP arrived and from which MAC. Needs root: without it the
 * lab refuses with a clear error (the tests fail, they do not skip). `destroy` deletes both
 * namespaces, and with them the veth pair and every address.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { CommandResult, CommandRunner } from "../../../src/runtime/vrrp/vip-manager.js";
import { spawnRunner } from "../../../src/runtime/vrrp/vip-manager.js";

export interface NetnsLab {
  readonly node: string;
  readonly peer: string;
  /** The node's end of the veth pair, in `node`. */
  readonly nodeDev: string;
  /** The peer's end, in `peer`. */
  readonly peerDev: string;
  /** Runs argv inside the node's namespace (`ip netns exec NODE …`): hand it to VipManager. */
  readonly inNode: CommandRunner;
  readonly inPeer: CommandRunner;
  destroy(): Promise<void>;
}

const host = spawnRunner(10_000);

export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error("the VIP namespace tests need root (they create network namespaces and add addresses); run them as root — CI does");
  }
}

async function must(run: CommandRunner, argv: readonly string[]): Promise<CommandResult> {
  const result = await run(argv);
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${result.exitCode ?? result.signal}): ${result.stderr.trim()}`);
  return result;
}

function runnerIn(namespace: string): CommandRunner {
  return (argv, options) => host(["ip", "netns", "exec", namespace, ...argv], options);
}

/** Builds the lab; on any failure what was built is deleted before the error is thrown. */
export async function createNetnsLab(): Promise<NetnsLab> {
  requireRoot();
  const node = `halb-vip-${randomBytes(4).toString("hex")}`;
  const peer = `${node}-peer`;
  const nodeDev = "vip0";
  const peerDev = "vip1";
  const inNode = runnerIn(node);
  const inPeer = runnerIn(peer);
  const destroy = async (): Promise<void> => {
    for (const name of [peer, node]) await host(["ip", "netns", "del", name]).catch(() => undefined);
  };
  try {
    await must(host, ["ip", "netns", "add", node]);
    await must(host, ["ip", "netns", "add", peer]);
    await must(host, ["ip", "link", "add", nodeDev, "netns", node, "type", "veth", "peer", "name", peerDev, "netns", peer]);
    await must(inNode, ["ip", "link", "set", "lo", "up"]);
    await must(inPeer, ["ip", "link", "set", "lo", "up"]);
    await must(inNode, ["ip", "addr", "add", "198.18.0.1/24", "dev", nodeDev]);
    await must(inPeer, ["ip", "addr", "add", "198.18.0.2/24", "dev", peerDev]);
    // Learn new neighbours from gratuitous ARP (the default, 0, only updates existing entries).
    await must(inPeer, ["sh", "-c", `echo 1 > /proc/sys/net/ipv4/conf/${peerDev}/arp_accept`]);
    await must(inNode, ["ip", "link", "set", nodeDev, "up"]);
    await must(inPeer, ["ip", "link", "set", peerDev, "up"]);
  } catch (error) {
    await destroy();
    throw error;
  }
  return { node, peer, nodeDev, peerDev, inNode, inPeer, destroy };
}

/** The IPv4/IPv6 addresses on `dev` inside the lab namespace, with their labels. */
export async function addressesOn(run: CommandRunner, dev: string): Promise<{ readonly address: string; readonly prefix: number; readonly label?: string }[]> {
  const result = await must(run, ["ip", "-j", "addr", "show", "dev", dev]);
  const links = JSON.parse(result.stdout) as { addr_info?: { family: string; local: string; prefixlen: number; label?: string }[] }[];
  return links.flatMap((link) =>
    (link.addr_info ?? [])
      .filter((info) => info.family === "inet" || (info.family === "inet6" && !info.local.startsWith("fe80:")))
      .map((info) => ({ address: info.local, prefix: info.prefixlen, ...(info.label !== undefined ? { label: info.label } : {}) })),
  );
}

/** The MAC of `dev`. */
export async function macOf(run: CommandRunner, dev: string): Promise<string> {
  const result = await must(run, ["ip", "-j", "link", "show", "dev", dev]);
  const [link] = JSON.parse(result.stdout) as { address: string }[];
  if (!link) throw new Error(`no link ${dev}`);
  return link.address;
}

/** The MAC the neighbour table holds for `address` on `dev`, or undefined. */
export async function neighbourMac(run: CommandRunner, dev: string, address: string): Promise<string | undefined> {
  const result = await must(run, ["ip", "-j", "neigh", "show", "to", address, "dev", dev]);
  const entries = JSON.parse(result.stdout || "[]") as { lladdr?: string }[];
  return entries.find((entry) => entry.lladdr !== undefined)?.lladdr;
}

/** Whether a program can be found, so a test can say what to install instead of failing obscurely. */
export function hasProgram(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", `command -v ${name}`], { stdio: "ignore", env: { PATH: `${process.env["PATH"] ?? ""}:/usr/sbin:/sbin` } });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
