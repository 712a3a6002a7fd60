/**
 * `balance leastconn`: HAProxy's Fast Weighted Least Connections (src/lb_fwlc.c).
 *
 * Servers sit in a tree keyed by load: 0 when idle, else `(inflight + 1) × 4096 / eweight` with
 * inflight = current connections + own queue. The `+ 1` ranks servers by the load they would have
 * after taking the request, so heavier servers win ties; idle servers always come first so light
 * traffic is spread rather than sent to the heaviest one. A server is re-inserted behind its equals
 * each time its load changes, which is what rotates A, B, C over idle equal servers.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import {
  chooseGroup,
  MAX_EFFECTIVE_WEIGHT,
  recountWeights,
  scaledWeight,
  type BackendWeights,
  type LbServer,
  type NextLbState,
} from "./lb-server.js";
import { OrderedTree } from "./ordered-tree.js";
import type { ServerView } from "./server-view.js";

export class LeastConnections<S extends ServerView> implements LbAlgorithm<S> {
  private readonly active = new OrderedTree<LbServer<S>>();
  private readonly backup = new OrderedTree<LbServer<S>>();
  private totals: BackendWeights<S>;

  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
  ) {
    this.totals = recountWeights(servers, allBackups);
    for (const server of servers) {
      if (server.usable) this.treeOf(server).insert(loadKey(server.view, server.eweight), server);
    }
  }

  effectiveWeight(userWeight: number): number {
    return scaledWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  /** fwlc_get_next_server: the least loaded server with room; the one to avoid only as a last resort. */
  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    const choice = chooseGroup(this.totals);
    if (choice.kind === "none") return "full";
    if (choice.kind === "first-backup") return choice.server;
    let avoided: LbServer<S> | undefined;
    for (const server of (choice.backup ? this.backup : this.active).items()) {
      if (!hasRoom(server.view)) continue;
      if (server !== avoid) return server;
      avoided = server;
    }
    return avoided ?? "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    const tree = this.treeOf(server);
    if (server.usable) tree.remove(server);
    if (next.usable) tree.insert(loadKey(server.view, next.eweight), server);
    commit(server, next);
    this.totals = recountWeights(this.servers, this.allBackups);
  }

  /** fwlc_srv_reposition: re-sort after a connection starts or ends, unless the key is unchanged. */
  loadChanged(server: LbServer<S>): void {
    if (!server.usable) return;
    const tree = this.treeOf(server);
    const key = loadKey(server.view, server.eweight);
    if (tree.keyOf(server) === key) return;
    tree.remove(server);
    tree.insert(key, server);
  }

  private treeOf(server: LbServer<S>): OrderedTree<LbServer<S>> {
    return server.view.backup ? this.backup : this.active;
  }
}

function loadKey(view: ServerView, eweight: number): number {
  const inflight = view.currentConnections + view.queuedRequests;
  return inflight === 0 ? 0 : Math.floor(((inflight + 1) * MAX_EFFECTIVE_WEIGHT) / eweight) >>> 0;
}

/**
 * leastconn's own room test: connections plus queue below maxconn (+ maxqueue, which halb never
 * sets), so a server whose queue is not yet counted against it may still be chosen.
 */
function hasRoom(view: ServerView): boolean {
  const maxconn = view.maxconn ?? 0;
  return maxconn === 0 || view.currentConnections + view.queuedRequests < maxconn;
}
