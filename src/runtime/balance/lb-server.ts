/**
 * The balancer's own record of each server and the backend totals HAProxy derives from them.
 *
 * HAProxy separates a server's *committed* load-balancing state (`cur_state`, `cur_eweight`: what
 * the algorithm's trees reflect) from the state it is moving to (`next_*`). The algorithms compare
 * the two when a change is announced, so this record keeps the committed side and the view
 * carries the new one.
 */
import type { ServerView } from "./server-view.js";

export interface LbServer<S extends ServerView> {
  readonly view: S;
  /** 0-based declaration position: HAProxy walks its server list in this order. */
  readonly position: number;
  /** Committed: the server takes load-balanced traffic (usable and a non-zero effective weight). */
  usable: boolean;
  /** Committed effective weight (HAProxy's `cur_eweight`), in the algorithm's own scale. */
  eweight: number;
}

/** The state a server is moving to, as read from its view. */
export interface NextLbState {
  readonly usable: boolean;
  readonly eweight: number;
}

/**
 * Backend totals (HAProxy's `srv_act`, `srv_bck`, `tot_wact`, `tot_wbck`, `fbck`, `tot_weight`,
 * `tot_used`), recounted from committed states like `recount_servers` + `update_backend_weight`.
 */
export interface BackendWeights<S extends ServerView> {
  readonly activeServers: number;
  readonly backupServers: number;
  readonly activeWeight: number;
  readonly backupWeight: number;
  /** Without `option allbackups`: the first usable backup in declaration order, the only one used. */
  readonly firstBackup: LbServer<S> | null;
  /** 0 means "no server": HAProxy answers 503 without asking the algorithm. */
  readonly totalWeight: number;
  readonly totalUsed: number;
}

/**
 * HAProxy's effective weight: `(uweight * wdiv + wmult - 1) / wmult`. Tree-based algorithms scale
 * weights by 16 (wdiv) for finer steps; map-based ones divide them by their GCD (wmult) so the map
 * stays small.
 */
export function effectiveWeight(userWeight: number, weightDivider: number, weightMultiplier: number): number {
  return Math.floor((userWeight * weightDivider + weightMultiplier - 1) / weightMultiplier);
}

/** HAProxy's `BE_WEIGHT_SCALE`: how much finer than user weights the tree-based algorithms count. */
export const WEIGHT_SCALE = 16;

/** The effective weight of the tree-based algorithms (roundrobin, leastconn, first, random). */
export function scaledWeight(userWeight: number): number {
  return effectiveWeight(userWeight, WEIGHT_SCALE, 1);
}

/** HAProxy's `SRV_EWGHT_MAX` (= `SRV_EWGHT_RANGE`): the largest effective weight, 256 × 16. */
export const MAX_EFFECTIVE_WEIGHT = 256 * WEIGHT_SCALE;

export function trackServers<S extends ServerView>(views: readonly S[], eweightOf: (view: S) => number): LbServer<S>[] {
  return views.map((view, position) => {
    const eweight = eweightOf(view);
    return { view, position, eweight, usable: view.usable && eweight > 0 };
  });
}

export function recountWeights<S extends ServerView>(servers: readonly LbServer<S>[], allBackups: boolean): BackendWeights<S> {
  let activeServers = 0;
  let backupServers = 0;
  let activeWeight = 0;
  let backupWeight = 0;
  let firstBackup: LbServer<S> | null = null;
  for (const server of servers) {
    if (!server.usable) continue;
    if (server.view.backup) {
      if (backupServers === 0 && !allBackups) firstBackup = server;
      backupServers += 1;
      backupWeight += server.eweight;
    } else {
      activeServers += 1;
      activeWeight += server.eweight;
    }
  }
  // update_backend_weight: actives if any; else only the first backup; else every backup.
  let totalWeight = backupWeight;
  let totalUsed = backupServers;
  if (activeServers > 0) {
    totalWeight = activeWeight;
    totalUsed = activeServers;
  } else if (firstBackup) {
    totalWeight = firstBackup.eweight;
    totalUsed = 1;
  }
  return { activeServers, backupServers, activeWeight, backupWeight, firstBackup, totalWeight, totalUsed };
}

/** The group HAProxy's tree-based algorithms draw from, or the lone first backup that short-cuts them. */
export type LbGroupChoice<S extends ServerView> =
  | { readonly kind: "group"; readonly backup: boolean }
  | { readonly kind: "first-backup"; readonly server: LbServer<S> }
  | { readonly kind: "none" };

/** `if (srv_act) act; else if (fbck) return fbck; else if (srv_bck) bck; else NULL` — shared by every tree algorithm. */
export function chooseGroup<S extends ServerView>(weights: BackendWeights<S>): LbGroupChoice<S> {
  if (weights.activeServers > 0) return { kind: "group", backup: false };
  if (weights.firstBackup) return { kind: "first-backup", server: weights.firstBackup };
  if (weights.backupServers > 0) return { kind: "group", backup: true };
  return { kind: "none" };
}
