/**
 * The VIPs of a MASTER: adds each one to the host, announces it with gratuitous ARP, and takes
 * away, when the node leaves MASTER, only what it added itself. It does what Keepalived does with
 * rtnetlink, with the `ip` and `arping` commands (iproute2, iputils-arping), because Node has no
 * netlink or AF_PACKET of its own:
 *
 *   ip -4 addr add 192.168.66.10/24 dev eth0 [label eth0:vip]     (virtual_ipaddress as halb writes it)
 *   ip -6 addr add 2001:db8::10/64 dev eth0 nodad [preferred_lft 0] (Keepalived: no DAD; /128 deprecated)
 *   arping -U -c 1 -I eth0 192.168.66.10                          (garp_master_repeat at once, again after garp_master_delay)
 *
 * `ip addr add` is not idempotent, so claiming first looks at the host: a VIP that is already an
 * address of the host (configured by someone else, or local anyway, like 127.0.0.5 through lo's
 * 127.0.0.0/8) is neither added nor, later, removed. Operations run one at a time, in call order,
 * so a quick MASTER → BACKUP cannot delete before the add it follows.
 *
 * IPv6: no unsolicited neighbour advertisement is sent (Keepalived sends one; neither iproute2 nor
 * ndisc6 can): neighbours learn the new owner through ordinary neighbour discovery.
 *
 * Needs CAP_NET_ADMIN (addresses) and CAP_NET_RAW (arping): root, in practice.
 */
import { spawn } from "node:child_process";
import ipaddr from "ipaddr.js";
import type { IrNode, IrVip } from "../../ir/types.js";

// ── Running commands ─────────────────────────────────────────────────────────

export interface CommandResult {
  /** null when the command was ended by a signal (its timeout, or a cancellation). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunOptions {
  /** Aborting it ends the command (SIGTERM). */
  readonly signal?: AbortSignal;
}

/**
 * Runs argv (argv[0] is the program; no shell) and resolves with how it ended. Rejects only when
 * the program could not be started at all (not installed, not executable).
 */
export type CommandRunner = (argv: readonly string[], options?: CommandRunOptions) => Promise<CommandResult>;

/** Where `ip` and `arping` live on Debian; a root shell's PATH has them, a service's may not. */
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The default runner: spawn without a shell, ended (SIGKILL) after `timeoutMs`. */
export function spawnRunner(timeoutMs = 10_000): CommandRunner {
  return (argv, options = {}) =>
    new Promise((resolve, reject) => {
      const [program, ...args] = argv;
      if (program === undefined) throw new Error("empty command");
      const pathVar = process.env["PATH"];
      const child = spawn(program, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PATH: pathVar ? `${pathVar}:${SYSTEM_PATH}` : SYSTEM_PATH },
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        ...(options.signal ? { signal: options.signal } : {}),
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", (error: NodeJS.ErrnoException) => {
        // An abort also arrives here (AbortError), after the kill: report it as the signal it was.
        if (error.name === "AbortError") return;
        reject(new Error(`cannot run ${program}: ${error.message}${error.code === "ENOENT" ? ` (is ${program} installed?)` : ""}`));
      });
      child.on("close", (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
    });
}

/** `a b c`, for messages. */
function commandLine(argv: readonly string[]): string {
  return argv.join(" ");
}

function outcome(result: CommandResult): string {
  const how = result.exitCode !== null ? `exit ${result.exitCode}` : `killed by ${result.signal ?? "a signal"}`;
  const said = result.stderr.trim() || result.stdout.trim();
  return said ? `${how}: ${said}` : how;
}

// ── The manager ──────────────────────────────────────────────────────────────

/** The interface a VIP lives on, as keepalived.conf says: its own `dev`, else the node's interface. */
export function vipDevice(vip: IrVip, node: IrNode): string {
  return vip.dev ?? node.interface;
}

export interface VipManagerOptions {
  readonly run?: CommandRunner;
  /** Keepalived's garp_master_repeat: gratuitous ARPs per VIP in each batch (default 5). */
  readonly garpRepeat?: number;
  /** Keepalived's garp_master_delay: the second batch this long after the first; 0 = none (default 5000). */
  readonly garpDelayMs?: number;
  /** Where failures that are not thrown (a GARP that could not be sent) are reported. */
  readonly log?: (line: string) => void;
}

/**
 * - `added`: the address was put on the device by this manager, and `release` will delete it.
 * - `already-present`: the host had it already (or it is local anyway): left alone, now and at release.
 * - `already-claimed`: claimed before and not released since: nothing done.
 */
export type ClaimOutcome = "added" | "already-present" | "already-claimed";

/**
 * - `removed`: deleted from the device (this manager had added it).
 * - `already-gone`: this manager had added it, but someone else deleted it meanwhile.
 * - `left-in-place`: the host had it before the claim, so it stays.
 * - `not-claimed`: never claimed (or already released): nothing done.
 */
export type ReleaseOutcome = "removed" | "already-gone" | "left-in-place" | "not-claimed";

interface Claim {
  readonly vip: IrVip;
  readonly dev: string;
  /** As the host prints it (ip's canonical form), for comparisons. */
  readonly address: string;
  readonly addedByUs: boolean;
  /** The device answers ARP (not loopback, not NOARP): GARPs make sense there. */
  readonly arpable: boolean;
}

/** One `ip -j addr show` entry, as far as read here. */
interface IpLink {
  readonly ifname?: string;
  readonly flags?: readonly string[];
  readonly link_type?: string;
  readonly addr_info?: readonly { readonly family?: string; readonly local?: string }[];
}

export class VipManager {
  readonly #run: CommandRunner;
  readonly #garpRepeat: number;
  readonly #garpDelayMs: number;
  readonly #log: (line: string) => void;
  /** Claimed VIPs by `dev address`, in claim order. */
  readonly #claims = new Map<string, Claim>();
  /** Every add/delete waits for the one before it. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Cancels the GARPs of the current announcement (the pending second batch and running arpings). */
  #announcement: AbortController | null = null;
  readonly #garpsRunning = new Set<Promise<void>>();

  constructor(options: VipManagerOptions = {}) {
    this.#run = options.run ?? spawnRunner();
    this.#garpRepeat = options.garpRepeat ?? 5;
    this.#garpDelayMs = options.garpDelayMs ?? 5000;
    this.#log = options.log ?? ((line) => process.stderr.write(`halb: ${line}\n`));
  }

  /** Makes `vip` an address of the host on `dev`, unless the host has it already. Throws when `ip` fails otherwise. */
  claim(vip: IrVip, dev: string): Promise<ClaimOutcome> {
    return this.#serially(() => this.#claim(vip, dev));
  }

  /** Takes `vip` off `dev` if this manager added it. Throws when `ip` fails otherwise (the claim is then kept, to retry). */
  release(vip: IrVip, dev: string): Promise<ReleaseOutcome> {
    return this.#serially(() => this.#release(vip, dev));
  }

  /** Leaving MASTER: stops the announcements and releases every claim, newest first. Throws an AggregateError after trying them all. */
  async releaseAll(): Promise<void> {
    this.cancelAnnouncements();
    // Claims asked for before this call count too: let them finish first.
    await this.#serially(async () => undefined);
    const errors: unknown[] = [];
    for (const claim of [...this.#claims.values()].reverse()) {
      await this.release(claim.vip, claim.dev).catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, `could not release ${errors.length} VIP(s): ${errors.map(String).join("; ")}`);
  }

  /** The VIPs claimed and not released, with whether this manager added them. */
  claimed(): readonly { readonly vip: IrVip; readonly dev: string; readonly addedByUs: boolean }[] {
    return [...this.#claims.values()].map(({ vip, dev, addedByUs }) => ({ vip, dev, addedByUs }));
  }

  /**
   * Gratuitous ARPs for every claimed IPv4 VIP on a device that does ARP (loopback addresses and
   * devices excluded): `garpRepeat` at once, and as many again `garpDelayMs` later. Replaces an
   * announcement still under way. Resolves when the first batch has been sent; failures are logged.
   */
  announce(): Promise<void> {
    this.cancelAnnouncements();
    const controller = new AbortController();
    this.#announcement = controller;
    const targets = [...this.#claims.values()].filter((claim) => claim.vip.family === 4 && claim.arpable && !isLoopback(claim.address));
    const first = this.#garpBatch(targets, controller.signal);
    if (this.#garpDelayMs > 0 && targets.length > 0) {
      const timer = setTimeout(() => void this.#garpBatch(targets, controller.signal), this.#garpDelayMs);
      timer.unref();
      controller.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }
    return first;
  }

  /** Stops the current announcement: the second batch is not sent, running arpings are ended. */
  cancelAnnouncements(): void {
    this.#announcement?.abort();
    this.#announcement = null;
  }

  /** Resolves when no arping runs (for tests and an orderly shutdown). */
  async garpsSettled(): Promise<void> {
    while (this.#garpsRunning.size > 0) await Promise.all(this.#garpsRunning);
  }

  #serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #claim(vip: IrVip, dev: string): Promise<ClaimOutcome> {
    const address = canonicalAddress(vip.address);
    const key = claimKey(dev, address);
    if (this.#claims.has(key)) return "already-claimed";
    const family = familyFlag(vip);
    const links = await this.#links();
    const arpable = isArpable(links.find((link) => link.ifname === dev));
    const inet = vip.family === 6 ? "inet6" : "inet";
    const present = links.some((link) =>
      (link.addr_info ?? []).some((info) => info.family === inet && info.local !== undefined && canonicalAddress(info.local) === address),
    );
    if (present || (await this.#isLocal(vip, address))) {
      this.#claims.set(key, { vip, dev, address, addedByUs: false, arpable });
      return "already-present";
    }
    const argv = ["ip", family, "addr", "add", `${vip.address}/${vip.prefix}`, "dev", dev];
    if (vip.family === 4 && vip.label !== undefined) argv.push("label", vip.label);
    if (vip.family === 6) {
      // Keepalived: IFA_F_NODAD always, and a /128 is deprecated so it is never picked as a source address.
      argv.push("nodad");
      if (vip.prefix === 128) argv.push("preferred_lft", "0");
    }
    const result = await this.#run(argv);
    if (result.exitCode === 0) {
      this.#claims.set(key, { vip, dev, address, addedByUs: true, arpable });
      return "added";
    }
    // Added by someone else between the look and the add: theirs, so not ours to remove.
    if (/already assigned|File exists/i.test(result.stderr)) {
      this.#claims.set(key, { vip, dev, address, addedByUs: false, arpable });
      return "already-present";
    }
    throw new Error(`${commandLine(argv)} failed (${outcome(result)})`);
  }

  async #release(vip: IrVip, dev: string): Promise<ReleaseOutcome> {
    const key = claimKey(dev, canonicalAddress(vip.address));
    const claim = this.#claims.get(key);
    if (!claim) return "not-claimed";
    if (!claim.addedByUs) {
      this.#claims.delete(key);
      return "left-in-place";
    }
    // The prefix must be the one added: `ip addr del` of another prefix fails ("Address not found").
    const argv = ["ip", familyFlag(claim.vip), "addr", "del", `${claim.vip.address}/${claim.vip.prefix}`, "dev", dev];
    const result = await this.#run(argv);
    if (result.exitCode === 0) {
      this.#claims.delete(key);
      return "removed";
    }
    if (/not found|Cannot assign requested address|Cannot find device/i.test(result.stderr)) {
      this.#claims.delete(key);
      return "already-gone";
    }
    throw new Error(`${commandLine(argv)} failed (${outcome(result)})`);
  }

  /** Every device with its flags and addresses (no family filter: it would hide devices without such an address). */
  async #links(): Promise<readonly IpLink[]> {
    const argv = ["ip", "-j", "addr", "show"];
    const result = await this.#run(argv);
    if (result.exitCode !== 0) throw new Error(`${commandLine(argv)} failed (${outcome(result)})`);
    const parsed: unknown = JSON.parse(result.stdout || "[]");
    if (!Array.isArray(parsed)) throw new Error(`${commandLine(argv)}: unexpected output ${result.stdout.slice(0, 200)}`);
    return parsed as IpLink[];
  }

  /** Local without being configured anywhere, such as 127.0.0.5 (lo's 127.0.0.0/8) or an AnyIP route: the kernel routes it as `local`. */
  async #isLocal(vip: IrVip, address: string): Promise<boolean> {
    const result = await this.#run(["ip", "-j", familyFlag(vip), "route", "get", address]);
    if (result.exitCode !== 0) return false; // "Network is unreachable": certainly not local
    try {
      const routes: unknown = JSON.parse(result.stdout);
      return Array.isArray(routes) && routes.some((route: { type?: unknown }) => route?.type === "local");
    } catch {
      return false;
    }
  }

  #garpBatch(targets: readonly Claim[], signal: AbortSignal): Promise<void> {
    if (signal.aborted || targets.length === 0) return Promise.resolve();
    const sends: Promise<void>[] = [];
    for (const target of targets) {
      for (let i = 0; i < this.#garpRepeat; i++) sends.push(this.#garp(target, signal));
    }
    const batch = Promise.all(sends).then(() => undefined);
    this.#garpsRunning.add(batch);
    void batch.finally(() => this.#garpsRunning.delete(batch));
    return batch;
  }

  /** One unsolicited ARP request (sender and target IP = the VIP, the device's MAC), as Keepalived sends. */
  async #garp(target: Claim, signal: AbortSignal): Promise<void> {
    const argv = ["arping", "-U", "-c", "1", "-I", target.dev, target.address];
    try {
      const result = await this.#run(argv, { signal });
      if (result.exitCode !== 0 && !signal.aborted) this.#log(`gratuitous ARP failed: ${commandLine(argv)} (${outcome(result)})`);
    } catch (error) {
      this.#log(`gratuitous ARP failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function familyFlag(vip: IrVip): "-4" | "-6" {
  return vip.family === 6 ? "-6" : "-4";
}

function claimKey(dev: string, address: string): string {
  return `${dev} ${address}`;
}

/** RFC 5952 form for IPv6 (`2001:DB8:0::10` → `2001:db8::10`), dotted quad for IPv4, as `ip` prints them. */
function canonicalAddress(address: string): string {
  try {
    const parsed = ipaddr.parse(address);
    return parsed.kind() === "ipv6" ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
  } catch {
    return address.toLowerCase();
  }
}

function isLoopback(address: string): boolean {
  try {
    return ipaddr.parse(address).range() === "loopback";
  } catch {
    return false;
  }
}

function isArpable(link: IpLink | undefined): boolean {
  if (!link) return false;
  const flags = link.flags ?? [];
  return link.link_type !== "loopback" && !flags.includes("LOOPBACK") && !flags.includes("NOARP");
}
