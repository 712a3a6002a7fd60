/**
 * The contract between `createBalancer` and one algorithm module. Each module is a port of one of
 * HAProxy's `lb_*.c` files: it keeps its own structures (trees, map, ring) in step with the servers'
 * committed states, the way HAProxy's `set_server_status_up/down` and `update_server_eweight` do.
 */
import type { BackendWeights, LbServer, NextLbState } from "./lb-server.js";
import type { ServerView } from "./server-view.js";

/** What the hash-based algorithms read from the request. */
export interface RequestKeys {
  /**
   * The client's address as HAProxy's listener would see it: a dotted quad on an IPv4 listener,
   * IPv6 text (including `::ffff:a.b.c.d`) on an IPv6 one. `source` needs it.
   */
  readonly sourceAddress: string;
  /**
   * The request-target exactly as received on the request line (origin or absolute form), one
   * character per byte as Node's `req.url` gives it. Absent in TCP mode: `uri` then falls back to
   * round-robin on its map, like HAProxy does when the hash input is missing.
   */
  readonly uri?: string | undefined;
}

/** A server, "every candidate is saturated" (HAProxy's FULL), or "the source address is unusable". */
export type Selection<S extends ServerView> = LbServer<S> | "full" | "no-source-address";

export interface LbAlgorithm<S extends ServerView> {
  /** The effective weight of a user weight in this algorithm's scale. */
  effectiveWeight(userWeight: number): number;
  /** The backend totals as of the last committed change. */
  weights(): BackendWeights<S>;
  /** Chooses a server; only asked while `weights().totalWeight > 0`. */
  select(request: RequestKeys, avoid: LbServer<S> | undefined): Selection<S>;
  /** Moves a server whose state differs from its committed one, then commits the new state. */
  applyChange(server: LbServer<S>, next: NextLbState): void;
  /** A connection to the server started or ended (leastconn re-sorts; the others ignore it). */
  loadChanged(server: LbServer<S>): void;
}

/** Commits a new state: from now on the algorithm's structures reflect it. */
export function commit<S extends ServerView>(server: LbServer<S>, next: NextLbState): void {
  server.usable = next.usable;
  server.eweight = next.eweight;
}
