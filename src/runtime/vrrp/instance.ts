/**
 * One VRRP instance's state machine, behaving like Keepalived 2.2's vrrp_instance compiled from the
 * same IR (src/emit/keepalived/): RFC 3768 §6.4 as Keepalived implements it (vrrp.c,
 * vrrp_scheduler.c, vrrp_track.c; research/runtime-semantics.md §2.2-2.6, §2.14).
 *
 * Pure: no sockets, no processes, no real timers. The runtime injects a clock and the actions
 * (send an advert, add/remove the VIPs, notify), feeds in the adverts that passed checkAdvert
 * (packet.ts) and the results of the tracked checks.
 *
 * Keepalived's behaviour where it differs from the RFC or adds to it:
 * - Every non-owner starts in BACKUP (notified) with the full Master_Down_Interval, even with
 *   `state MASTER`; only priority 255 with `state MASTER` becomes master at once.
 * - A master receiving a lower priority (or equal priority from a lower address) sends an advert at
 *   once instead of discarding it; any advert a master processes restarts its advert timer.
 * - Timers use the effective priority (tracked weights), and a priority change in BACKUP moves
 *   the running down timer by the change of Master_Down_Interval.
 * - Unweighted tracked checks (IR weight null, or 0) put the instance in FAULT while failing, and
 *   hold it (silently, here in INIT) until each has reported once. A master entering FAULT sends
 *   priority 0 twice (vrrp_state_leave_master, then vrrp_restore_interface), then drops the VIPs.
 * - `nopreempt` and `preempt_delay` only apply to `state BACKUP` nodes that are not the owner.
 */
import type { Ir, IrSecret, IrVrrp } from "../../ir/types.js";
import { nodeNamed, RunInputError } from "../load-ir.js";
import { type AdvertExpectations, type AdvertFields, PRIORITY_OWNER, PRIORITY_STOP, type VrrpAdvert, type VrrpAuth } from "./packet.js";
import { masterDownIntervalMs, skewTimeMs, type VrrpVersion } from "./timing.js";
import { TrackCounter } from "./track.js";

export type VrrpState = "INIT" | "BACKUP" | "MASTER" | "FAULT" | "STOP";

export interface VrrpTrackConfig {
  /** The vrrp_script name. */
  readonly name: string;
  /** null or 0: FAULT while failing. Positive: added while OK. Negative: added while failing. */
  readonly weight: number | null;
  readonly rise: number;
  readonly fall: number;
  /** For whoever runs the check; the instance only counts results. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export interface VrrpInstanceConfig {
  /** The vrrp_instance name (the cluster's), for log lines. */
  readonly name: string;
  /** 2 for IPv4 VIPs, 3 when the first VIP is IPv6 (timing differs; packet.ts encodes v2 only). */
  readonly version: VrrpVersion;
  readonly vrid: number;
  /** Base priority, 1-255 (255 = address owner). */
  readonly priority: number;
  readonly advertIntervalMs: number;
  readonly preempt: IrVrrp["preempt"];
  /** Keepalived's `state`. */
  readonly initialState: "MASTER" | "BACKUP";
  readonly auth: VrrpAuth;
  /** VIPs carried in adverts: those of the first VIP's family (virtual_ipaddress). */
  readonly addresses: readonly string[];
  /** The other family's VIPs (virtual_ipaddress_excluded): added and removed, never advertised. */
  readonly excludedAddresses: readonly string[];
  /** The interface adverts go out of (the VIPs may name their own `dev`). */
  readonly interface: string;
  /** The node's address: adverts' source and the equal-priority tie-break. */
  readonly ownAddress: string;
  /** Empty for multicast (224.0.0.18); otherwise each advert is sent to every peer. */
  readonly unicastPeers: readonly string[];
  readonly tracks: readonly VrrpTrackConfig[];
}

/** Whatever runs timers: real ones in the runtime, a fake one in tests. Milliseconds. */
export interface VrrpClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * What the runtime does when the instance decides. Called in Keepalived's order: becoming master
 * = sendAdvert, enterMaster, stateChanged; leaving for BACKUP = leaveMaster, stateChanged; for
 * FAULT = sendAdvert(0) ×2, leaveMaster, stateChanged; stopping = sendAdvert(0), leaveMaster,
 * stateChanged. The instance's own state is already the new one when these run.
 */
export interface VrrpActions {
  /** Send one advert with this priority (to 224.0.0.18 or to each unicast peer). */
  sendAdvert(priority: number): void;
  /** Add the VIPs, send the gratuitous ARPs (5 now, 5 after 5 s), open the VIP listeners. */
  enterMaster(): void;
  /** Remove the VIPs, close the VIP listeners. */
  leaveMaster(next: "BACKUP" | "FAULT" | "STOP"): void;
  /** Run the notify scripts and mail (notify_backup also runs at startup). */
  stateChanged(from: VrrpState, to: VrrpState, effectivePriority: number): void;
  /**
   * Keepalived's log line for what just happened, e.g. `(zb) Entering MASTER STATE`; `detail`
   * lines are the ones Keepalived writes only with --log-detail.
   */
  log?(line: string, detail: boolean): void;
}

interface TrackedCheck {
  readonly config: VrrpTrackConfig;
  readonly counter: TrackCounter;
  /** Weight null or 0: a failure means FAULT rather than a lower priority. */
  readonly faultOnly: boolean;
}

export class VrrpInstance {
  readonly config: VrrpInstanceConfig;
  readonly #clock: VrrpClock;
  readonly #actions: VrrpActions;
  readonly #tracks = new Map<string, TrackedCheck>();
  readonly #nopreempt: boolean;
  readonly #preemptDelayMs: number;
  #basePriority: number;
  #effectivePriority: number;
  #state: VrrpState = "INIT";
  #started = false;
  /** The VIPs are up (Keepalived's vipset): the first advert as master also enters MASTER. */
  #vipsSet = false;
  #timer: unknown = null;
  /** When the running timer fires (Keepalived's sands): Master_Down or the next advert. */
  #deadline: number | null = null;
  /** Keepalived's ms_down_timer: what the down timer was last armed with (or what remained of it). */
  #msDownTimer: number;
  /** Until when lower-priority adverts are still accepted under preempt_delay (preempt_time). */
  #preemptUntil: number | null = null;

  constructor(config: VrrpInstanceConfig, clock: VrrpClock, actions: VrrpActions) {
    checkWhole("vrid", config.vrid, 1, 255);
    checkWhole("priority", config.priority, 1, 255);
    checkWhole("advert interval (ms)", config.advertIntervalMs, 1, 255_000);
    this.config = config;
    this.#clock = clock;
    this.#actions = actions;
    for (const track of config.tracks) {
      if (this.#tracks.has(track.name)) throw new RangeError(`track ${JSON.stringify(track.name)} is listed twice`);
      this.#tracks.set(track.name, { config: track, counter: new TrackCounter(track.rise, track.fall), faultOnly: !track.weight });
    }
    const owner = config.priority === PRIORITY_OWNER;
    // Keepalived clears nopreempt and preempt_delay for `state MASTER` and for the owner.
    const canDelayPreemption = config.initialState === "BACKUP" && !owner;
    this.#nopreempt = canDelayPreemption && config.preempt.mode === "off";
    this.#preemptDelayMs = canDelayPreemption && config.preempt.mode === "delay" ? config.preempt.delayMs : 0;
    this.#basePriority = config.priority;
    this.#effectivePriority = this.#trackedPriority();
    this.#msDownTimer = this.#masterDownInterval();
  }

  get state(): VrrpState {
    return this.#state;
  }

  /** The priority advertised and compared: base plus tracked weights, within [1, 254]; 255 stays 255. */
  get effectivePriority(): number {
    return this.#effectivePriority;
  }

  /** When the running timer fires (clock time), or null: for diagnostics and tests. */
  get timerDeadline(): number | null {
    return this.#deadline;
  }

  /**
   * vrrp_init_state: BACKUP with the full Master_Down_Interval (notified), MASTER at once for the
   * owner with `state MASTER`, FAULT if an unweighted check already failed, or INIT (silent)
   * while an unweighted check has not reported yet.
   */
  start(): void {
    if (this.#started) throw new Error(`VRRP instance ${this.config.name} already started`);
    this.#started = true;
    if (this.#anyFaultCheck("pending")) return;
    if (this.#anyFaultCheck("failing")) {
      this.#log("Entering FAULT STATE (init)");
      this.#state = "FAULT";
      this.#actions.stateChanged("INIT", "FAULT", this.#effectivePriority);
      return;
    }
    if (this.#wantsOwnerMaster()) {
      this.#becomeMaster("INIT");
      return;
    }
    this.#log("Entering BACKUP STATE (init)");
    this.#enterBackup("INIT");
  }

  /**
   * An advert that passed checkAdvert, from `sourceAddress` (the IP source: unicast_src_ip or the
   * peer's primary address). Ignored in INIT, FAULT and STOP, as Keepalived does.
   */
  receive(advert: Pick<VrrpAdvert, "priority">, sourceAddress: string): void {
    if (this.#state === "BACKUP") this.#receiveAsBackup(advert.priority, sourceAddress);
    else if (this.#state === "MASTER") this.#receiveAsMaster(advert.priority, sourceAddress);
  }

  /**
   * One run of a tracked check: `ok` is exit status 0 (a timeout or signal is a failure). May come
   * before start(): Keepalived runs the checks from startup, and start() then uses what they said.
   */
  trackResult(trackName: string, ok: boolean): void {
    const track = this.#tracks.get(trackName);
    if (!track) throw new RangeError(`VRRP instance ${this.config.name} tracks no check named ${JSON.stringify(trackName)}`);
    if (this.#state === "STOP") return;
    const transition = track.counter.record(ok);
    if (!transition) return;
    if (!track.faultOnly) {
      this.#setEffectivePriority(this.#trackedPriority());
      return;
    }
    if (!this.#started) return;
    if (transition === "down") this.#enterFault();
    else if (!this.#anyFaultCheck("pending") && !this.#anyFaultCheck("failing")) this.#leaveFault();
  }

  /** Shutdown: a master sends priority 0 and drops its VIPs first; then STOP is notified. */
  stop(): void {
    if (this.#state === "STOP") return;
    const from = this.#state;
    this.#cancelTimer();
    this.#state = "STOP";
    if (!this.#started) return;
    if (from === "MASTER") {
      this.#actions.sendAdvert(PRIORITY_STOP);
      this.#log("sent 0 priority", true);
      this.#vipsSet = false;
      this.#actions.leaveMaster("STOP");
    }
    this.#actions.stateChanged(from, "STOP", this.#effectivePriority);
  }

  // ── Receiving (vrrp_state_backup, vrrp_state_master_rx) ───────────────────

  #receiveAsBackup(priority: number, source: string): void {
    const now = this.#clock.now();
    if (priority === PRIORITY_STOP) {
      this.#log("Backup received priority 0 advertisement", true);
      this.#msDownTimer = this.#skew();
      this.#arm(now + this.#msDownTimer);
      return;
    }
    const effective = this.#effectivePriority;
    const withinPreemptDelay = this.#preemptDelayMs > 0 && (this.#preemptUntil === null || this.#preemptUntil > now);
    if (this.#nopreempt || priority >= effective || withinPreemptDelay) {
      this.#msDownTimer = this.#masterDownInterval();
      this.#arm(now + this.#msDownTimer);
      if (this.#preemptDelayMs > 0) {
        if (priority >= effective) this.#preemptUntil = null;
        else if (this.#preemptUntil === null) {
          this.#log(`start preempt delay (${seconds(this.#preemptDelayMs)})`, true);
          this.#preemptUntil = now + this.#preemptDelayMs;
        }
      }
      return;
    }
    // Preempting: the running timer goes on, so we take over one Master_Down_Interval after the
    // last advert we accepted.
    this.#log(`received lower priority (${priority}) advert from ${source} - discarding`);
    this.#msDownTimer = Math.max(0, (this.#deadline ?? now) - now);
  }

  #receiveAsMaster(priority: number, source: string): void {
    const addressOrder = compareAddresses(source, this.config.ownAddress);
    if (priority === PRIORITY_STOP) {
      this.#log("Master received priority 0 message", true);
      this.#sendAdvertAndRestartTimer();
      return;
    }
    if (priority === this.#effectivePriority) {
      if (addressOrder === 0) this.#log("WARNING - equal priority advert received from remote host with our IP address.");
      else if (this.#effectivePriority === PRIORITY_OWNER) {
        this.#log("CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority");
        this.#basePriority = PRIORITY_OWNER - 1;
        this.#effectivePriority = PRIORITY_OWNER - 1;
      }
    }
    const effective = this.#effectivePriority;
    if (priority < effective || (priority === effective && addressOrder < 0)) {
      this.#log(`Received advert from ${source} with lower priority ${priority}, ours ${effective}, forcing new election`);
      this.#sendAdvertAndRestartTimer();
      return;
    }
    if (priority > effective || addressOrder > 0) {
      this.#log(
        priority > effective
          ? `Master received advert from ${source} with higher priority ${priority}, ours ${effective}`
          : `Master received advert from ${source} with same priority ${priority} but higher IP address than ours`,
      );
      this.#leaveMasterForBackup();
      return;
    }
    // Equal priority from our own address: only a warning, but the advert timer restarts anyway.
    this.#arm(this.#clock.now() + this.config.advertIntervalMs);
  }

  // ── Transitions ──────────────────────────────────────────────────────────

  /** vrrp_state_goto_master + vrrp_state_master_tx: advert first, then VIPs, then notify. */
  #becomeMaster(from: VrrpState): void {
    this.#state = "MASTER";
    this.#arm(this.#clock.now() + this.config.advertIntervalMs);
    this.#actions.sendAdvert(this.#effectivePriority);
    if (this.#vipsSet) return;
    this.#log("Entering MASTER STATE");
    this.#vipsSet = true;
    this.#actions.enterMaster();
    this.#actions.stateChanged(from, "MASTER", this.#effectivePriority);
  }

  #leaveMasterForBackup(): void {
    this.#log("Entering BACKUP STATE");
    this.#state = "BACKUP";
    this.#preemptUntil = null;
    this.#msDownTimer = this.#masterDownInterval();
    this.#arm(this.#clock.now() + this.#msDownTimer);
    this.#vipsSet = false;
    this.#actions.leaveMaster("BACKUP");
    this.#actions.stateChanged("MASTER", "BACKUP", this.#effectivePriority);
  }

  /** Into BACKUP from INIT or FAULT, waiting a full Master_Down_Interval. */
  #enterBackup(from: VrrpState): void {
    this.#state = "BACKUP";
    this.#preemptUntil = null;
    this.#msDownTimer = this.#masterDownInterval();
    this.#arm(this.#clock.now() + this.#msDownTimer);
    this.#actions.stateChanged(from, "BACKUP", this.#effectivePriority);
  }

  /** down_instance: an unweighted check failed. */
  #enterFault(): void {
    const from = this.#state;
    if (from === "FAULT" || from === "STOP") return;
    this.#log("Entering FAULT STATE");
    this.#state = "FAULT";
    this.#cancelTimer();
    this.#msDownTimer = this.#masterDownInterval();
    if (from === "MASTER") {
      this.#actions.sendAdvert(PRIORITY_STOP);
      this.#actions.sendAdvert(PRIORITY_STOP);
      this.#log("sent 0 priority", true);
      this.#vipsSet = false;
      this.#actions.leaveMaster("FAULT");
    }
    this.#actions.stateChanged(from, "FAULT", this.#effectivePriority);
  }

  /** try_up_instance: every unweighted check has reported and none fails. */
  #leaveFault(): void {
    const from = this.#state;
    if (from !== "INIT" && from !== "FAULT") return;
    if (this.#wantsOwnerMaster()) {
      this.#becomeMaster(from);
      return;
    }
    this.#log("Entering BACKUP STATE");
    this.#enterBackup(from);
  }

  // ── Timers ───────────────────────────────────────────────────────────────

  #onTimer(): void {
    this.#timer = null;
    this.#deadline = null;
    if (this.#state === "BACKUP") {
      this.#log("Receive advertisement timeout", true);
      this.#becomeMaster("BACKUP");
    } else if (this.#state === "MASTER") {
      this.#sendAdvertAndRestartTimer();
    }
  }

  #sendAdvertAndRestartTimer(): void {
    this.#arm(this.#clock.now() + this.config.advertIntervalMs);
    this.#actions.sendAdvert(this.#effectivePriority);
  }

  #arm(at: number): void {
    this.#cancelTimer();
    this.#deadline = at;
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), Math.max(0, at - this.#clock.now()));
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#deadline = null;
  }

  // ── Priority ─────────────────────────────────────────────────────────────

  /**
   * vrrp_set_effective_priority. In BACKUP the deadline moves by (new Master_Down_Interval − what
   * the down timer was last armed with), Keepalived's own arithmetic: after a discarded advert
   * "armed with" is what remained of it, after a priority-0 advert the skew time.
   */
  #setEffectivePriority(priority: number): void {
    if (this.#basePriority === PRIORITY_OWNER || priority === this.#effectivePriority) return;
    this.#log(`Changing effective priority from ${this.#effectivePriority} to ${priority}`);
    this.#effectivePriority = priority;
    const previous = this.#msDownTimer;
    this.#msDownTimer = this.#masterDownInterval();
    if (this.#state === "BACKUP" && this.#deadline !== null) this.#arm(this.#deadline + this.#msDownTimer - previous);
  }

  /** Base plus each weighted check's adjustment (none until it has reported), clamped to [1, 254]. */
  #trackedPriority(): number {
    if (this.#basePriority === PRIORITY_OWNER) return PRIORITY_OWNER;
    let total = this.#basePriority;
    for (const { config, counter, faultOnly } of this.#tracks.values()) {
      const weight = config.weight ?? 0;
      if (faultOnly || counter.status === "pending") continue;
      const ok = counter.status === "ok";
      if (weight > 0 ? ok : !ok) total += weight;
    }
    return Math.min(PRIORITY_OWNER - 1, Math.max(1, total));
  }

  #skew(): number {
    return skewTimeMs(this.#effectivePriority, this.config.advertIntervalMs, this.config.version);
  }

  #masterDownInterval(): number {
    return masterDownIntervalMs(this.#effectivePriority, this.config.advertIntervalMs, this.config.version);
  }

  #wantsOwnerMaster(): boolean {
    return this.#basePriority === PRIORITY_OWNER && this.config.initialState === "MASTER";
  }

  #anyFaultCheck(status: "pending" | "failing"): boolean {
    for (const track of this.#tracks.values()) if (track.faultOnly && track.counter.status === status) return true;
    return false;
  }

  #log(message: string, detail = false): void {
    this.#actions.log?.(`(${this.config.name}) ${message}`, detail);
  }
}

/**
 * The equal-priority tie-break: compares two addresses of the same family as unsigned numbers
 * (network byte order), like Keepalived's inet_sockaddrcmp. Negative when `a` is lower; 0 when
 * equal or of different families.
 */
export function compareAddresses(a: string, b: string): number {
  const left = addressBytes(a);
  const right = addressBytes(b);
  if (!left || !right || left.length !== right.length) return 0;
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  return 0;
}

function addressBytes(address: string): number[] | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return v4.slice(1).map(Number);
  if (!address.includes(":")) return null;
  const [head = "", tail] = address.split("::");
  const groups = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").flatMap((group) => {
      const embedded = addressBytes(group);
      if (embedded && embedded.length === 4) return [(embedded[0]! << 8) | embedded[1]!, (embedded[2]! << 8) | embedded[3]!];
      return [parseInt(group, 16)];
    });
  };
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const middle = Array<number>(Math.max(0, 8 - front.length - back.length)).fill(0);
  return [...front, ...middle, ...back].flatMap((group) => [group >> 8, group & 0xff]);
}

/** Keepalived's `%lu.%6.6lu` seconds: 10000 ms → `10.000000`. */
function seconds(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
}

function checkWhole(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} must be a whole number in [${min}, ${max}] (got ${value})`);
}

// ── From the IR ──────────────────────────────────────────────────────────────

/**
 * The instance of node `nodeName`, as its keepalived.conf would configure it
 * (src/emit/keepalived/vrrp-instance.ts): the first VIP's family decides the advertised VIPs and
 * the version (IPv6 = VRRPv3, no authentication); unicast peers are the other nodes' addresses.
 * `resolveEnv` gives the value of an environment variable (the VRRP password's `{ env }`).
 */
export function instanceConfigFromIr(ir: Ir, nodeName: string, resolveEnv: (name: string) => string | undefined): VrrpInstanceConfig {
  const { cluster } = ir;
  const { vrrp } = cluster;
  const node = nodeNamed(ir, nodeName);
  const first = cluster.vips[0];
  if (!first) throw new RunInputError(`cluster ${cluster.name} has no VIP`);
  const version: VrrpVersion = first.family === 4 ? 2 : 3;
  return {
    name: cluster.name,
    version,
    vrid: vrrp.vrid,
    priority: node.priority,
    advertIntervalMs: vrrp.advertIntMs,
    preempt: vrrp.preempt,
    initialState: node.initialState,
    auth: vrrp.auth && version === 2 ? { type: "pass", password: secretText(vrrp.auth, resolveEnv) } : { type: "none" },
    addresses: cluster.vips.filter((vip) => vip.family === first.family).map((vip) => vip.address),
    excludedAddresses: cluster.vips.filter((vip) => vip.family !== first.family).map((vip) => vip.address),
    interface: node.interface,
    ownAddress: node.address,
    unicastPeers: vrrp.transport === "unicast" ? cluster.nodes.filter((peer) => peer.name !== node.name).map((peer) => peer.address) : [],
    tracks: cluster.tracks.map((track) => ({
      name: track.script,
      weight: track.weight,
      rise: track.rise,
      fall: track.fall,
      intervalMs: track.intervalMs,
      timeoutMs: track.timeoutMs,
    })),
  };
}

function secretText(secret: IrSecret, resolveEnv: (name: string) => string | undefined): string {
  if ("value" in secret) return secret.value;
  const value = resolveEnv(secret.env);
  if (value === undefined) throw new RunInputError(`the VRRP password comes from the environment variable ${secret.env}, which is not set`);
  return value;
}

/** What this instance's adverts must carry for checkAdvert to accept them. */
export function advertExpectations(config: VrrpInstanceConfig): AdvertExpectations {
  return { vrid: config.vrid, advertIntervalSec: config.advertIntervalMs / 1000, auth: config.auth, addresses: config.addresses };
}

/** The fields of an advert this instance sends with `priority`, for encodeAdvert. */
export function advertFields(config: VrrpInstanceConfig, priority: number): AdvertFields {
  return { vrid: config.vrid, priority, advertIntervalSec: config.advertIntervalMs / 1000, addresses: config.addresses, auth: config.auth };
}
