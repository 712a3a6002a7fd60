/**
 * Server selection for `halb run`: the load-balancing algorithms of HAProxy 2.6, making the same
 * choices in the same order (roundrobin, static-rr, leastconn, source, uri, first, random).
 *
 * Contract with the proxy core
 * ─────────────────────────────
 * - `createBalancer(balance, servers, options)` once per backend. `servers` are the core's live
 *   objects in declaration order; the balancer only reads them (see ServerView). Their state at
 *   creation is the starting state.
 * - `pick(request)` for each request that needs load balancing (not for one already bound by a
 *   persistence cookie). It returns one of:
 *     { server, saturated: false }   connect to `server`;
 *     { server, saturated: true }    `server` is at its maxconn or has a queue (a hashed server, or
 *                                    the lone first backup): wait in *that server's* queue;
 *     { server: null, reason: "all-full" }  every candidate is saturated: wait in the *backend*
 *                                    queue until a slot frees (bounded by `timeout queue`);
 *     { server: null, reason: "none-up" }   no usable server at all: 503 at once (log <NOSRV>, SC);
 *     { server: null, reason: "no-source-address" }  `balance source` without an IP address
 *                                    (HAProxy's internal error).
 *   Pass `backendQueueLength` (requests waiting in the backend queue): with roundrobin, static-rr
 *   and first a newcomer then queues behind them ("all-full") instead of overtaking. Pass `avoid`
 *   on a retry that redispatches: that server is only taken if nothing else can be.
 * - `serverStateChanged(server)` after the server's `usable` or `weight` changed (health check,
 *   maintenance, drain, a weight set at run time). Calling it when nothing changed is harmless.
 * - `connectionStarted(server)` / `connectionEnded(server)` after the core has updated the
 *   server's `currentConnections` (a request taken from a queue counts as started): leastconn
 *   re-sorts its tree then, reading connections + queue, exactly when HAProxy does. A change of
 *   the queue alone re-sorts nothing, in HAProxy either.
 * - Backups are used only while no active server is usable: the first usable backup only, unless
 *   `allBackups` (`option allbackups` in the defaults or the backend: see allBackupsInForce).
 */
import type { Balance, IrDefaults, IrProxyCommon } from "../../ir/types.js";
import type { LbAlgorithm } from "./algorithm.js";
import { FirstAvailable } from "./first.js";
import { MapHash } from "./hash.js";
import { LeastConnections } from "./leastconn.js";
import { effectiveWeight, scaledWeight, trackServers, type LbServer } from "./lb-server.js";
import { DEFAULT_RANDOM_DRAWS, defaultRandom32, RandomDraws, type Random32 } from "./random.js";
import { RoundRobin } from "./roundrobin.js";
import { mapWeightDivisor, ServerMap } from "./server-map.js";
import { isSaturated, type ServerView } from "./server-view.js";
import { StaticRoundRobin } from "./static-rr.js";

export { isSaturated, type ServerView } from "./server-view.js";
export { sdbmHash, fullHash } from "./hash-functions.js";
export { sourceHash, uriHash } from "./hash.js";
export type { Random32 } from "./random.js";

export interface BalanceRequest<S extends ServerView = ServerView> {
  /** The client's address as HAProxy's listener would see it (dotted quad on IPv4, IPv6 text on IPv6). */
  readonly sourceAddress: string;
  /** The request-target as received (one character per byte, like Node's `req.url`); absent in TCP mode. */
  readonly uri?: string | undefined;
  /** Requests waiting in the backend queue (0 when absent). */
  readonly backendQueueLength?: number | undefined;
  /** On a redispatching retry: the server that just failed. */
  readonly avoid?: S | undefined;
}

export type NoServerReason = "none-up" | "all-full" | "no-source-address";

export type BalanceOutcome<S extends ServerView> =
  | { readonly server: S; readonly saturated: boolean }
  | { readonly server: null; readonly reason: NoServerReason };

export interface BalancerOptions {
  /** `option allbackups`: share traffic among every usable backup instead of the first one only. */
  readonly allBackups?: boolean | undefined;
  /** `balance random(<draws>)`; HAProxy's default is 2. */
  readonly randomDraws?: number | undefined;
  /** The random source of `balance random`: uniformly distributed unsigned 32-bit integers. */
  readonly random32?: Random32 | undefined;
}

export interface Balancer<S extends ServerView> {
  readonly balance: Balance;
  pick(request: BalanceRequest<S>): BalanceOutcome<S>;
  serverStateChanged(server: S): void;
  connectionStarted(server: S): void;
  connectionEnded(server: S): void;
}

/** The algorithms that queue a newcomer behind an existing backend queue (assign_server). */
const QUEUE_BEHIND_BACKEND_QUEUE: ReadonlySet<Balance> = new Set<Balance>(["roundrobin", "static-rr", "first"]);

export function createBalancer<S extends ServerView>(balance: Balance, views: readonly S[], options: BalancerOptions = {}): Balancer<S> {
  const allBackups = options.allBackups ?? false;
  const { algorithm, servers } = buildAlgorithm(balance, views, allBackups, options);
  const byView = new Map<S, LbServer<S>>(servers.map((server) => [server.view, server]));

  const tracked = (view: S): LbServer<S> => {
    const server = byView.get(view);
    if (!server) throw new Error(`balancer: ${view.name} is not one of this backend's servers`);
    return server;
  };

  return {
    balance,
    pick(request) {
      if (algorithm.weights().totalWeight === 0) return { server: null, reason: "none-up" };
      if ((request.backendQueueLength ?? 0) > 0 && QUEUE_BEHIND_BACKEND_QUEUE.has(balance)) return { server: null, reason: "all-full" };
      const selection = algorithm.select(request, request.avoid ? tracked(request.avoid) : undefined);
      if (selection === "full") return { server: null, reason: "all-full" };
      if (selection === "no-source-address") return { server: null, reason: "no-source-address" };
      return { server: selection.view, saturated: isSaturated(selection.view) };
    },
    serverStateChanged(view) {
      const server = tracked(view);
      const eweight = algorithm.effectiveWeight(view.weight);
      const next = { usable: view.usable && eweight > 0, eweight };
      if (next.usable === server.usable && next.eweight === server.eweight) return;
      algorithm.applyChange(server, next);
    },
    connectionStarted(view) {
      algorithm.loadChanged(tracked(view));
    },
    connectionEnded(view) {
      algorithm.loadChanged(tracked(view));
    },
  };
}

/** Whether `option allbackups` applies to a backend: set in the defaults or in the backend itself. */
export function allBackupsInForce(defaults: Pick<IrDefaults, "options">, proxy: Pick<IrProxyCommon, "options">): boolean {
  return defaults.options.includes("allbackups") || proxy.options.includes("allbackups");
}

function buildAlgorithm<S extends ServerView>(
  balance: Balance,
  views: readonly S[],
  allBackups: boolean,
  options: BalancerOptions,
): { algorithm: LbAlgorithm<S>; servers: LbServer<S>[] } {
  switch (balance) {
    case "roundrobin": {
      const servers = trackServers(views, (view) => scaledWeight(view.weight));
      return { algorithm: new RoundRobin(servers, allBackups), servers };
    }
    case "leastconn": {
      const servers = trackServers(views, (view) => scaledWeight(view.weight));
      return { algorithm: new LeastConnections(servers, allBackups), servers };
    }
    case "first": {
      const servers = trackServers(views, (view) => scaledWeight(view.weight));
      return { algorithm: new FirstAvailable(servers, allBackups), servers };
    }
    case "random": {
      const servers = trackServers(views, (view) => scaledWeight(view.weight));
      const draws = options.randomDraws ?? DEFAULT_RANDOM_DRAWS;
      return { algorithm: new RandomDraws(servers, allBackups, draws, options.random32 ?? defaultRandom32), servers };
    }
    case "static-rr":
    case "source":
    case "uri": {
      const divisor = mapWeightDivisor(views.map((view) => view.weight));
      const servers = trackServers(views, (view) => effectiveWeight(view.weight, 1, divisor));
      const map = new ServerMap(servers, allBackups, divisor);
      const algorithm = balance === "static-rr" ? new StaticRoundRobin(map) : new MapHash(balance, map);
      return { algorithm, servers };
    }
  }
}
