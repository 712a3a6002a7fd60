/**
 * A backend (or the server side of a `listen`) at run time: its live servers, its balancer, and
 * the queues of HAProxy 2.6 (src/queue.c, src/backend.c assign_server_and_queue):
 *
 * - A request bound to a server (cookie) takes it if it has room, else waits in that server's queue.
 * - Otherwise the balancer picks; a saturated pick waits in the server's queue, "all full" waits in
 *   the backend's queue, "nothing up" fails at once (503).
 * - A freed slot goes to the older of the server's and the backend's first waiters; a waiter gives
 *   up after `timeout queue` (503 sQ).
 * - A server going down sends its waiters back through the backend queue when `option
 *   redispatch` allows it; a server coming up takes waiters from the backend queue.
 */
import type { Balance, IrDefaults, IrPool, IrProxyCommon } from "../../ir/types.js";
import { allBackupsInForce, type Balancer, createBalancer } from "../balance/index.js";
import type { StatsBackend } from "../stats/index.js";
import { LiveServer } from "./live-server.js";
import { cookieSettings, type CookieSettings, type Environment, type ProxySettings, proxySettings } from "./settings.js";
import { type Waiter, WaitQueue } from "./wait-queue.js";

export type SlotOutcome =
  | { readonly kind: "server"; readonly server: LiveServer; readonly queuedMs: number; readonly balanced: boolean }
  | { readonly kind: "none-up" }
  | { readonly kind: "queue-timeout"; readonly queuedMs: number };

/** Events HAProxy's statistics count on the backend and on the server involved. */
export type SharedCounter = "econ" | "eresp" | "wretr" | "wredis" | "cli_abrt" | "srv_abrt";

export interface SlotRequest {
  readonly sourceAddress: string;
  readonly uri: string | undefined;
  /** The server a valid cookie names: only that server will do. */
  readonly pinned: LiveServer | null;
  readonly granted: (outcome: SlotOutcome) => void;
  timer: NodeJS.Timeout | null;
}

export interface SlotAsk {
  readonly sourceAddress: string;
  readonly uri?: string | undefined;
  readonly pinned?: LiveServer | null;
  /** On a redispatching retry: the server that just failed. */
  readonly avoid?: LiveServer | undefined;
}

export class BackendRuntime {
  readonly settings: ProxySettings;
  readonly balanceKind: Balance;
  readonly servers: readonly LiveServer[];
  readonly cookie: CookieSettings | null;
  readonly queue = new WaitQueue<SlotRequest>();
  readonly #balancer: Balancer<LiveServer>;
  readonly #byName = new Map<string, LiveServer>();

  constructor(
    proxy: IrProxyCommon & IrPool,
    defaults: IrDefaults,
    readonly stats: StatsBackend,
    env: Environment,
  ) {
    this.settings = proxySettings(proxy, defaults);
    this.balanceKind = proxy.balance;
    this.servers = proxy.servers.map((server, index) => new LiveServer(server, index + 1, stats.servers[index]!));
    for (const server of this.servers) this.#byName.set(server.name, server);
    this.cookie = cookieSettings(proxy.cookie, env);
    this.#balancer = createBalancer(proxy.balance, this.servers, { allBackups: allBackupsInForce(defaults, proxy) });
  }

  get name(): string {
    return this.settings.name;
  }

  server(name: string): LiveServer | undefined {
    return this.#byName.get(name);
  }

  /** Usable active servers (HAProxy's `srv_act`): redispatch on every retry needs more than one. */
  get usableActiveServers(): number {
    let count = 0;
    for (const server of this.servers) if (!server.backup && server.usable) count += 1;
    return count;
  }

  /**
   * Asks for a connection slot. `granted` is called exactly once, possibly before this returns;
   * the returned waiter (when the request waits) lets the caller give up with `cancel`.
   */
  requestSlot(ask: SlotAsk, granted: (outcome: SlotOutcome) => void): Waiter<SlotRequest> | null {
    const request: SlotRequest = { sourceAddress: ask.sourceAddress, uri: ask.uri, pinned: ask.pinned ?? null, granted, timer: null };
    const pinned = request.pinned;
    if (pinned) {
      if (pinned.hasRoom && pinned.queue.length === 0) return this.#grantNow(request, pinned, false);
      return this.#wait(request, pinned.queue, pinned);
    }
    const pick = this.#balancer.pick({ sourceAddress: ask.sourceAddress, uri: ask.uri, backendQueueLength: this.queue.length, avoid: ask.avoid });
    if (pick.server === null) {
      if (pick.reason === "all-full") return this.#wait(request, this.queue, null);
      granted({ kind: "none-up" });
      return null;
    }
    this.stats.counters.lbtot += 1;
    pick.server.stats.counters.lbtot += 1;
    if (!pick.saturated) return this.#grantNow(request, pick.server, true);
    return this.#wait(request, pick.server.queue, pick.server);
  }

  /** Counts one event on this backend and, when there is one, on the server. */
  count(counter: SharedCounter, server: LiveServer | null): void {
    this.stats.counters[counter] += 1;
    if (server) server.stats.counters[counter] += 1;
  }

  /** Gives up waiting (client gone with `abortonclose`): the request leaves its queue. */
  cancel(waiter: Waiter<SlotRequest>): void {
    if (waiter.queue === null) return;
    this.#leaveQueue(waiter);
  }

  /** The request on `server` ended: its slot goes to the oldest waiter that may have it. */
  release(server: LiveServer): void {
    server.currentConnections -= 1;
    server.stats.counters.sessionEnded();
    this.#balancer.connectionEnded(server);
    this.#serveWaiters(server);
  }

  /** After a server's usability or weight changed (health check, admin page). */
  serverChanged(server: LiveServer): void {
    this.#balancer.serverStateChanged(server);
    if (server.usable) {
      this.#serveWaiters(server);
      return;
    }
    if (!server.running && this.settings.options.has("redispatch")) {
      // pendconn_redistribute: waiters not bound by a cookie try the other servers.
      for (const waiter of [...server.queue]) {
        if (waiter.value.pinned) continue;
        server.stats.counters.dequeued();
        this.queue.adopt(waiter);
        this.stats.counters.queued();
      }
      for (const other of this.servers) if (other !== server) this.#serveWaiters(other);
    }
  }

  #grantNow(request: SlotRequest, server: LiveServer, balanced: boolean): null {
    this.#takeSlot(server);
    request.granted({ kind: "server", server, queuedMs: 0, balanced });
    return null;
  }

  #takeSlot(server: LiveServer): void {
    server.currentConnections += 1;
    server.stats.counters.sessionStarted(Date.now());
    this.#balancer.connectionStarted(server);
  }

  #wait(request: SlotRequest, queue: WaitQueue<SlotRequest>, server: LiveServer | null): Waiter<SlotRequest> {
    const waiter = queue.push(request);
    (server ? server.stats.counters : this.stats.counters).queued();
    const limit = this.settings.timeouts.queue;
    if (limit > 0) {
      request.timer = setTimeout(() => {
        request.timer = null;
        this.#leaveQueue(waiter);
        request.granted({ kind: "queue-timeout", queuedMs: Math.round(performance.now() - waiter.since) });
      }, limit);
    }
    return waiter;
  }

  #leaveQueue(waiter: Waiter<SlotRequest>): void {
    const request = waiter.value;
    if (request.timer) clearTimeout(request.timer);
    request.timer = null;
    if (waiter.queue === this.queue) this.stats.counters.dequeued();
    else this.#queueOwner(waiter)?.stats.counters.dequeued();
    waiter.leave();
  }

  #queueOwner(waiter: Waiter<SlotRequest>): LiveServer | undefined {
    return this.servers.find((server) => server.queue === waiter.queue);
  }

  /** May this server take requests from the backend queue? Backups only while no active server is usable. */
  #takesFromBackendQueue(server: LiveServer): boolean {
    if (!server.usable) return false;
    return !server.backup || this.usableActiveServers === 0;
  }

  #serveWaiters(server: LiveServer): void {
    while (server.hasRoom) {
      const own = server.queue.peek();
      const shared = this.#takesFromBackendQueue(server) ? this.queue.peek() : null;
      const next = own && shared ? (own.arrival < shared.arrival ? own : shared) : (own ?? shared);
      if (!next) return;
      if (next === own && !server.running) return;
      this.#leaveQueue(next);
      this.#takeSlot(server);
      next.value.granted({ kind: "server", server, queuedMs: Math.round(performance.now() - next.since), balanced: false });
    }
  }
}
