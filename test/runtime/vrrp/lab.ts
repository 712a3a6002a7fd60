/**
 * A bench for VRRP instances: a fake clock, and an in-memory network that carries each advert as
 * the IPv4 datagram a raw socket would send (encodeAdvertDatagram) and runs the receiver's
 * Keepalived checks (checkIpv4Advert) before handing it to its instance. Elections emerge from the
 * instances' own timers and decisions; tests only start, stop, power off, partition and feed
 * check results.
 */
import {
  advertExpectations,
  advertFields,
  type VrrpActions,
  type VrrpClock,
  VrrpInstance,
  type VrrpInstanceConfig,
  type VrrpState,
} from "../../../src/runtime/vrrp/instance.js";
import { checkIpv4Advert, encodeAdvertDatagram, VRRP_MULTICAST_GROUP } from "../../../src/runtime/vrrp/packet.js";

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
}

/** Timers fire in time order, ties in the order they were set; `now` is the firing time. */
export class FakeClock implements VrrpClock {
  #now = 0;
  #order = 0;
  readonly #timers = new Map<number, Scheduled>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#order;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), order: id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Runs every timer due up to `time` (including ones they set), then sets the clock to `time`. */
  runUntil(time: number): void {
    for (;;) {
      let next: [number, Scheduled] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at > time) continue;
        if (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].order < next[1].order)) next = entry;
      }
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = Math.max(this.#now, time);
  }
}

/** One recorded action: `3609 A advert 100`, `3609 A enterMaster`, `3609 A BACKUP→MASTER`. */
export interface LabEvent {
  readonly at: number;
  readonly node: string;
  readonly text: string;
}

interface LabNode {
  readonly config: VrrpInstanceConfig;
  readonly instance: VrrpInstance;
  readonly timers: Set<unknown>;
  alive: boolean;
}

export class Lab {
  readonly clock = new FakeClock();
  readonly events: LabEvent[] = [];
  /** Reasons receivers dropped adverts for, `B: received an invalid passwd!`. */
  readonly drops: string[] = [];
  readonly logs: string[] = [];
  readonly latencyMs: number;
  readonly #nodes = new Map<string, LabNode>();
  #partitioned = false;

  constructor(options: { latencyMs?: number } = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Adds a node (not started); `name` is the lab's handle, the instance name stays the cluster's. */
  add(name: string, config: VrrpInstanceConfig): VrrpInstance {
    const timers = new Set<unknown>();
    const clock = this.clock;
    let node: LabNode | undefined;
    const nodeClock: VrrpClock = {
      now: () => clock.now(),
      setTimeout: (fn, ms) => {
        const handle: unknown = clock.setTimeout(() => {
          timers.delete(handle);
          if (node?.alive) fn();
        }, ms);
        timers.add(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        timers.delete(handle);
        clock.clearTimeout(handle);
      },
    };
    const record = (text: string): void => {
      if (node?.alive) this.events.push({ at: clock.now(), node: name, text });
    };
    const actions: VrrpActions = {
      sendAdvert: (priority) => {
        record(`advert ${priority}`);
        if (node?.alive) this.#transmit(name, config, priority);
      },
      enterMaster: () => record("enterMaster"),
      leaveMaster: (next) => record(`leaveMaster ${next}`),
      stateChanged: (from, to, priority) => record(`${from}→${to} ${priority}`),
      log: (line, detail) => {
        if (!detail) this.logs.push(`${clock.now()} ${name} ${line}`);
      },
    };
    node = { config, instance: new VrrpInstance(config, nodeClock, actions), timers, alive: true };
    this.#nodes.set(name, node);
    return node.instance;
  }

  instance(name: string): VrrpInstance {
    return this.#node(name).instance;
  }

  start(...names: string[]): void {
    for (const name of names) this.#node(name).instance.start();
  }

  /** The node loses power: no more adverts, no more timers, nothing received. */
  powerOff(name: string): void {
    const node = this.#node(name);
    node.alive = false;
    for (const handle of node.timers) this.clock.clearTimeout(handle);
    node.timers.clear();
  }

  /** Powers the node on again with a fresh instance of the same configuration, and starts it. */
  restart(name: string): VrrpInstance {
    const instance = this.add(name, this.#node(name).config);
    instance.start();
    return instance;
  }

  /** While partitioned no advert reaches anyone. */
  partition(cut: boolean): void {
    this.#partitioned = cut;
  }

  runUntil(time: number): void {
    this.clock.runUntil(time);
  }

  state(name: string): VrrpState {
    return this.#node(name).instance.state;
  }

  /** Events as `time node text`, optionally only those whose text matches. */
  timeline(match?: RegExp): string[] {
    return this.events.filter((e) => !match || match.test(e.text)).map((e) => `${e.at} ${e.node} ${e.text}`);
  }

  /** When `node` entered `state` (the times of its transitions into it). */
  enteredAt(name: string, state: VrrpState): number[] {
    return this.events.filter((e) => e.node === name && e.text.includes(`→${state} `)).map((e) => e.at);
  }

  #node(name: string): LabNode {
    const node = this.#nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the lab`);
    return node;
  }

  #transmit(from: string, config: VrrpInstanceConfig, priority: number): void {
    const destinations = config.unicastPeers.length > 0 ? config.unicastPeers : [VRRP_MULTICAST_GROUP];
    for (const destination of destinations) {
      const datagram = encodeAdvertDatagram({ ...advertFields(config, priority), source: config.ownAddress, destination });
      for (const [name, node] of this.#nodes) {
        if (name === from) continue;
        if (destination !== VRRP_MULTICAST_GROUP && destination !== node.config.ownAddress) continue;
        this.clock.setTimeout(() => this.#deliver(name, node, datagram), this.latencyMs);
      }
    }
  }

  #deliver(name: string, node: LabNode, datagram: Buffer): void {
    if (!node.alive || this.#partitioned || this.#nodes.get(name) !== node) return;
    const check = checkIpv4Advert(datagram, { ...advertExpectations(node.config), unicast: node.config.unicastPeers.length > 0 });
    if (!check.ok) {
      this.drops.push(`${name}: ${check.reason}`);
      return;
    }
    const source = `${datagram[12]}.${datagram[13]}.${datagram[14]}.${datagram[15]}`;
    node.instance.receive(check.advert, source);
  }
}

/** §2.14's defaults: VRID 51, advert_int 1, PASS "secret", one VIP 10.0.0.100, multicast, preempt. */
export function labConfig(overrides: Partial<VrrpInstanceConfig> & Pick<VrrpInstanceConfig, "ownAddress" | "priority">): VrrpInstanceConfig {
  return {
    name: "VI_1",
    version: 2,
    vrid: 51,
    advertIntervalMs: 1000,
    preempt: { mode: "on" },
    initialState: "BACKUP",
    auth: { type: "pass", password: "secret" },
    addresses: ["10.0.0.100"],
    excludedAddresses: [],
    interface: "eth0",
    unicastPeers: [],
    tracks: [],
    ...overrides,
  };
}
