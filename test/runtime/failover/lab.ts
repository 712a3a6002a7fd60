/**
 * A lab for the compiled pair: network namespaces joined by a bridge (in its own namespace), lab
 * addresses from 198.18.0.0/24 only. `lb1` and `lb2` are the load balancer nodes (each interface is
 * called eth0, as in the seed's spec); `be` holds the three web servers; `cl` is the client. Each
 * node's daemons run in a private mount and PID namespace: its scripts folder and pid folder are
 * its own, and Keepalived's process tracking sees only its own HAProxy. Needs root.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { findBinary } from "../../helpers/daemons.js";

export const LAB = {
  lb1: "198.18.0.11",
  lb2: "198.18.0.12",
  vip: "198.18.0.10",
  backends: ["198.18.0.20", "198.18.0.21", "198.18.0.22"],
  client: "198.18.0.30",
} as const;

export interface Lab {
  readonly prefix: string;
  ns(name: "lb1" | "lb2" | "be" | "cl"): string;
  /** Runs a command in a namespace and waits (throws with its stderr on failure). */
  exec(name: "lb1" | "lb2" | "be" | "cl", argv: readonly string[]): string;
  /** Starts a long-running command in a namespace. */
  spawn(name: "lb1" | "lb2" | "be" | "cl", argv: readonly string[], env?: Record<string, string>): Running;
  /** Starts a long-running command as given (it enters namespaces itself, e.g. with nsenter); stopped with the lab. */
  spawnOnHost(argv: readonly string[], env?: Record<string, string>): Running;
  /** Whether the VIP is an address of a node. */
  holdsVip(node: "lb1" | "lb2"): boolean;
  /** Host PIDs of the processes named `comm` in a node's network namespace. */
  pids(node: "lb1" | "lb2", comm: string): number[];
  destroy(): void;
}

export interface Running {
  readonly child: ChildProcess;
  readonly output: string[];
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error("the failover lab needs root (network, mount and PID namespaces); CI runs as root");
}

function run(argv: readonly string[]): string {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr || result.error}`);
  return result.stdout;
}

export function createLab(): Lab {
  requireRoot();
  const ip = findBinary("ip");
  const prefix = `halb-fo-${randomBytes(3).toString("hex")}`;
  const names = ["sw", "lb1", "lb2", "be", "cl"] as const;
  const ns = (name: string): string => `${prefix}-${name}`;
  const children: ChildProcess[] = [];
  const destroy = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    // Processes started in the namespaces (daemons that forked) die with them.
    for (const name of names) {
      for (const pid of spawnSync(ip, ["netns", "pids", ns(name)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // already gone
        }
      }
      spawnSync(ip, ["netns", "del", ns(name)]);
    }
  };
  try {
    for (const name of names) run([ip, "netns", "add", ns(name)]);
    run([ip, "netns", "exec", ns("sw"), ip, "link", "add", "br0", "type", "bridge"]);
    run([ip, "netns", "exec", ns("sw"), ip, "link", "set", "br0", "up"]);
    const addresses: Record<string, readonly string[]> = { lb1: [LAB.lb1], lb2: [LAB.lb2], be: LAB.backends, cl: [LAB.client] };
    for (const [name, own] of Object.entries(addresses)) {
      const port = `p-${name}`;
      run([ip, "link", "add", "eth0", "netns", ns(name), "type", "veth", "peer", "name", port, "netns", ns("sw")]);
      run([ip, "netns", "exec", ns("sw"), ip, "link", "set", port, "master", "br0", "up"]);
      run([ip, "netns", "exec", ns(name), ip, "link", "set", "lo", "up"]);
      for (const address of own) run([ip, "netns", "exec", ns(name), ip, "addr", "add", `${address}/24`, "dev", "eth0"]);
      run([ip, "netns", "exec", ns(name), ip, "link", "set", "eth0", "up"]);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  const lab: Lab = {
    prefix,
    ns: (name) => ns(name),
    exec: (name, argv) => run([ip, "netns", "exec", ns(name), ...argv]),
    spawn: (name, argv, env = {}) => lab.spawnOnHost([ip, "netns", "exec", ns(name), ...argv], env),
    spawnOnHost: (argv, env = {}) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
      children.push(child);
      const output: string[] = [];
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding("utf8");
        stream?.on("data", (chunk: string) => output.push(...chunk.split("\n").filter(Boolean)));
      }
      return { child, output };
    },
    holdsVip: (node) => {
      const out = spawnSync(ip, ["netns", "exec", ns(node), ip, "-j", "addr", "show", "dev", "eth0"], { encoding: "utf8" }).stdout;
      return out.includes(`"${LAB.vip}"`);
    },
    pids: (node, comm) => {
      const pids = spawnSync(ip, ["netns", "pids", ns(node)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
      return pids.filter((pid) => {
        try {
          return spawnSync("cat", [`/proc/${pid}/comm`], { encoding: "utf8" }).stdout.trim() === comm;
        } catch {
          return false;
        }
      });
    },
    destroy,
  };
  return lab;
}
