/**
 * `balance first`: HAProxy's "first available" (src/lb_fas.c). Servers are ordered by numeric id
 * and the first one with room takes the request, so load piles onto the lowest ids and the others
 * can be powered down. Weights do not matter; without maxconn the first server takes everything.
 */
import type { LbServer } from "./lb-server.js";
import { isSaturated, type ServerView } from "./server-view.js";
import { TreeOrderedAlgorithm } from "./tree-algorithm.js";

export class FirstAvailable<S extends ServerView> extends TreeOrderedAlgorithm<S> {
  protected key(view: S): number {
    return view.id;
  }

  /** fas_get_next_server skips a saturated server (at maxconn, or with a queue of its own). */
  protected hasRoom(view: S): boolean {
    return !isSaturated(view);
  }

  loadChanged(_server: LbServer<S>): void {
    // The order is by id; load only matters through the room test at pick time.
  }
}
