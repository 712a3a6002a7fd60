/**
 * This node's part in the VRRP pair, in `halb run`: the instance's decisions (instance.ts) turned
 * into effects, in Keepalived's order. Becoming master: the advert is sent, then each VIP is made
 * an address of the host (unless already local, as in 127.0.0.0/8), the VIP listeners open, the
 * gratuitous ARPs go out; then the notifications. Leaving: the VIP listeners close, the VIPs this
 * node added are removed, then the notifications. `track haproxy` checks this process's own
 * listeners (self-check.ts).
 */
import type { Ir, IrNode } from "../../ir/types.js";
import type { Environment } from "../proxy/settings.js";
import { advertExpectations, advertFields, instanceConfigFromIr, VrrpInstance, type VrrpState } from "./instance.js";
import { notifyStateChange } from "./notify.js";
import { checkAdvert, encodeAdvert } from "./packet.js";
import { startSelfCheck } from "./self-check.js";
import type { VrrpTransport } from "./transport.js";
import { VipManager, vipDevice } from "./vip-manager.js";

/** What VRRP switches: the VIP listeners of this node (one LoadBalancer, or every worker's). */
export interface MasterSwitch {
  setMaster(master: boolean): Promise<void>;
  /** The listeners open now, for `track haproxy`. */
  openAddresses(): readonly { readonly host: string; readonly port: number }[];
}

export interface VrrpNodeOptions {
  readonly ir: Ir;
  readonly node: IrNode;
  readonly env: Environment;
  readonly balancer: MasterSwitch;
  readonly transport: VrrpTransport;
  /** How the adverts travel, for the start-up line ("IP protocol 112", "UDP port 10112"). */
  readonly wire: string;
  readonly vips?: VipManager;
  /** Keepalived-style lines: state changes, refused adverts, VIP problems. */
  readonly log: (line: string) => void;
}

export class VrrpNode {
  readonly instance: VrrpInstance;
  readonly wire: string;
  readonly #options: VrrpNodeOptions;
  readonly #vips: VipManager;
  /** Effects run one after another, in the order the instance decided them. */
  #effects: Promise<void> = Promise.resolve();
  readonly #stopChecks: (() => void)[] = [];
  #lastRefusal = "";

  private constructor(options: VrrpNodeOptions) {
    this.#options = options;
    this.wire = options.wire;
    this.#vips = options.vips ?? new VipManager({ log: options.log });
    const config = instanceConfigFromIr(options.ir, options.node.name, (name) => options.env[name]);
    const expectations = advertExpectations(config);
    const unicast = config.unicastPeers.length > 0;
    this.instance = new VrrpInstance(
      config,
      { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      {
        sendAdvert: (priority) => options.transport.send(encodeAdvert(advertFields(config, priority))),
        enterMaster: () => this.#then(() => this.#enterMaster()),
        leaveMaster: () => this.#then(() => this.#leaveMaster()),
        stateChanged: (from, to, priority) => this.#then(() => this.#notify(from, to, priority)),
        log: (line, detail) => {
          if (!detail) options.log(line);
        },
      },
    );
    options.transport.onAdvert((bytes, from, ttl) => {
      const check = checkAdvert(bytes, expectations, { ttl, unicast });
      if (check.ok) {
        this.instance.receive(check.advert, from);
        return;
      }
      // Keepalived logs every refused advert; one line per distinct reason keeps a log readable.
      if (check.reason !== this.#lastRefusal) options.log(`(${config.name}) advert from ${from} refused: ${check.reason}`);
      this.#lastRefusal = check.reason;
    });
  }

  static start(options: VrrpNodeOptions): VrrpNode {
    const node = new VrrpNode(options);
    node.instance.start();
    for (const track of options.ir.cluster.tracks) {
      node.#stopChecks.push(
        startSelfCheck({
          intervalMs: track.intervalMs,
          timeoutMs: track.timeoutMs,
          targets: () => options.balancer.openAddresses(),
          onResult: (ok) => node.instance.trackResult(track.script, ok),
        }),
      );
    }
    return node;
  }

  get state(): VrrpState {
    return this.instance.state;
  }

  /** Graceful stop: priority 0 (the backup takes over at once), VIPs released, STOP notified. */
  async stop(): Promise<void> {
    for (const stop of this.#stopChecks) stop();
    this.instance.stop();
    await this.#effects;
    await this.#options.transport.close();
  }

  #then(effect: () => Promise<void>): void {
    this.#effects = this.#effects.then(effect).catch((error: unknown) => {
      this.#options.log(`(${this.#options.ir.cluster.name}) ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async #enterMaster(): Promise<void> {
    const { ir, node, balancer } = this.#options;
    for (const vip of ir.cluster.vips) await this.#vips.claim(vip, vipDevice(vip, node));
    await balancer.setMaster(true);
    void this.#vips.announce();
  }

  async #leaveMaster(): Promise<void> {
    await this.#options.balancer.setMaster(false);
    await this.#vips.releaseAll();
  }

  async #notify(_from: VrrpState, to: VrrpState, priority: number): Promise<void> {
    if (to === "INIT") return;
    const { ir, node } = this.#options;
    const { ready } = notifyStateChange({ instance: ir.cluster.name, state: to, priority }, ir.cluster.notify, { routerId: node.name, log: this.#options.log });
    await ready;
  }
}
