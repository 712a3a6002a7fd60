/**
 * `balance leastconn`: HAProxy's Fast Weighted Least Connections (src/lb_fwlc.c).
 *
 * Servers sit in a tree keyed by load: 0 when idle, else `(inflight + 1) × 4096 / eweight` with
 * inflight = current connections + own queue. The `+ 1` ranks servers by the load they would have
 * after taking the request, so heavier servers win ties; idle servers always come first so light
 * traffic is spread rather than sent to the heaviest one. A server is re-inserted behind its equals
 * each time its load changes, which is what rotates A, B, C over idle equal servers.
 */
import { MAX_EFFECTIVE_WEIGHT, type LbServer } from "./lb-server.js";
import type { ServerView } from "./server-view.js";
import { TreeOrderedAlgorithm } from "./tree-algorithm.js";

export class LeastConnections<S extends ServerView> extends TreeOrderedAlgorithm<S> {
  protected key(view: S, eweight: number): number {
    const inflight = view.currentConnections + view.queuedRequests;
    return inflight === 0 ? 0 : Math.floor(((inflight + 1) * MAX_EFFECTIVE_WEIGHT) / eweight) >>> 0;
  }

  /**
   * leastconn's own room test: connections plus queue below maxconn (+ maxqueue, which halb never
   * sets), so a server whose queue is not yet counted against it may still be chosen.
   */
  protected hasRoom(view: S): boolean {
    const maxconn = view.maxconn ?? 0;
    return maxconn === 0 || view.currentConnections + view.queuedRequests < maxconn;
  }

  /** fwlc_srv_reposition: re-sort after a connection starts or ends, unless the key is unchanged. */
  loadChanged(server: LbServer<S>): void {
    if (!server.usable) return;
    const tree = this.treeOf(server);
    const key = this.key(server.view, server.eweight);
    if (tree.keyOf(server) === key) return;
    tree.remove(server);
    tree.insert(key, server);
  }
}
