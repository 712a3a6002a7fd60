/**
 * `halb run`'s process: one NodeRuntime serving at a time, on listening sockets that outlive it.
 *
 * - reload(): reads and validates OUT again; a bad IR or an address that cannot be opened leaves
 *   the running configuration serving. Otherwise the new runtime takes the sockets and the old one
 *   finishes its requests (its health checks stop at once).
 * - stop(): stops accepting, lets requests in flight finish (up to `graceMs`), then closes the rest.
 */
import type { Ir } from "../ir/types.js";
import { getrlimit } from "./process-limits.js";
import { type Binding, ListenerSet } from "./listener-set.js";
import { loadIr, nodeNamed } from "./load-ir.js";
import { NodeRuntime } from "./node-runtime.js";
import { ProcessState, type RequestLogSink } from "./proxy/process-state.js";
import type { Environment } from "./proxy/settings.js";
import type { PeerEvent, Peers } from "./cluster/messages.js";
import type { RegistrySnapshot } from "./stats/merge.js";

export interface LoadBalancerOptions {
  readonly outDir: string;
  readonly nodeName: string;
  readonly master: boolean;
  readonly env: Environment;
  readonly log: RequestLogSink;
  readonly jsonLogs: boolean;
  /** Set in a worker of `threads N`: the other workers. */
  readonly peers?: Peers | undefined;
}

export class LoadBalancer {
  readonly #listeners = new ListenerSet();
  readonly #process: ProcessState;
  #current: NodeRuntime | null = null;
  /** Serving the VIP binds: `--master`, or VRRP made this node master. */
  #master = false;
  readonly #retiring = new Set<NodeRuntime>();

  private constructor(private readonly options: LoadBalancerOptions) {
    this.#process = new ProcessState(options.log, options.jsonLogs);
  }

  /** Loads OUT, opens every listener and starts the health checks. Throws RunInputError / ListenError. */
  /** `ir`: OUT's IR when the caller has just loaded it (it is read and checked only once). */
  static async start(options: LoadBalancerOptions, ir?: Ir): Promise<LoadBalancer> {
    const balancer = new LoadBalancer(options);
    balancer.#master = options.master;
    const runtime = balancer.#build(ir);
    await balancer.#listeners.apply(balancer.#active(runtime));
    balancer.#current = runtime;
    runtime.start();
    return balancer;
  }

  get addresses(): string[] {
    return this.#listeners.addresses();
  }

  /** The listeners open now, for the data plane's self-check. */
  openAddresses(): { host: string; port: number }[] {
    return this.#listeners.targets();
  }

  get runtime(): NodeRuntime | null {
    return this.#current;
  }

  /** Throws (and keeps the running configuration) when OUT is invalid or a new address cannot be opened. */
  async reload(): Promise<void> {
    const next = this.#build();
    await this.#listeners.apply(this.#active(next));
    const previous = this.#current;
    this.#current = next;
    next.start();
    if (previous) void this.#retire(previous);
  }

  /** A server state change another worker made. */
  applyPeerEvent(event: PeerEvent): void {
    this.#current?.applyPeerEvent(event);
  }

  /** This worker's counters, for another worker's statistics page. */
  snapshot(): RegistrySnapshot | null {
    return this.#current?.snapshot() ?? null;
  }

  async stop(graceMs: number): Promise<void> {
    await this.#listeners.closeAll();
    const runtimes = [...this.#retiring, ...(this.#current ? [this.#current] : [])];
    this.#current = null;
    await Promise.all(runtimes.map((runtime) => runtime.retire()));
    await Promise.all(runtimes.map((runtime) => runtime.drained(graceMs)));
    for (const runtime of runtimes) runtime.closeConnections();
  }

  /**
   * Becomes master (opens the VIP listeners) or leaves it (closes them; connections already
   * accepted finish). Throws ListenError when a VIP address cannot be listened on.
   */
  async setMaster(master: boolean): Promise<void> {
    if (master === this.#master || !this.#current) {
      this.#master = master;
      return;
    }
    this.#master = master;
    await this.#listeners.apply(this.#active(this.#current));
  }

  get master(): boolean {
    return this.#master;
  }

  /** The listeners to have open now: VIP binds only while master. */
  #active(runtime: NodeRuntime): Binding[] {
    return runtime.bindings.filter((binding) => this.#master || !binding.onVip);
  }

  #build(loaded?: Ir): NodeRuntime {
    const ir = loaded ?? loadIr(this.options.outDir);
    const node = nodeNamed(ir, this.options.nodeName);
    return new NodeRuntime(ir, {
      node,
      env: this.options.env,
      process: this.#process,
      processMaxconn: defaultProcessMaxconn(),
      peers: this.options.peers,
    });
  }

  async #retire(runtime: NodeRuntime): Promise<void> {
    this.#retiring.add(runtime);
    await runtime.retire();
    // Idle keep-alive clients would hold the old configuration forever: HAProxy closes them on reload too.
    await runtime.drained(60_000);
    runtime.closeConnections();
    this.#retiring.delete(runtime);
  }
}

/** HAProxy derives its maxconn from the file-descriptor limit when none is set: (limit - reserve) / 2. */
function defaultProcessMaxconn(): number {
  const limit = getrlimit();
  return Math.max(100, Math.floor((limit - 50) / 2));
}
