/**
 * What `first` (src/lb_fas.c) and `leastconn` (src/lb_fwlc.c) share: one ordered tree per group
 * (active, backup) holding the usable servers, walked in key order at pick time for the first
 * server with room. They differ only in the key (id, or load) and in the room test.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import { chooseGroup, recountWeights, scaledWeight, type BackendWeights, type LbServer, type NextLbState } from "./lb-server.js";
import { OrderedTree } from "./ordered-tree.js";
import type { ServerView } from "./server-view.js";

export abstract class TreeOrderedAlgorithm<S extends ServerView> implements LbAlgorithm<S> {
  protected readonly active = new OrderedTree<LbServer<S>>();
  protected readonly backup = new OrderedTree<LbServer<S>>();
  private totals: BackendWeights<S>;

  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
  ) {
    this.totals = recountWeights(servers, allBackups);
    for (const server of servers) {
      if (server.usable) this.treeOf(server).insert(this.key(server.view, server.eweight), server);
    }
  }

  /** Where a server stands in its tree; equal keys keep insertion order. */
  protected abstract key(view: S, eweight: number): number;

  /** Whether the server may take one more request now. */
  protected abstract hasRoom(view: S): boolean;

  abstract loadChanged(server: LbServer<S>): void;

  effectiveWeight(userWeight: number): number {
    return scaledWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  /** The first server in key order with room; the one to avoid only as a last resort. */
  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    const choice = chooseGroup(this.totals);
    if (choice.kind === "none") return "full";
    if (choice.kind === "first-backup") return choice.server;
    let avoided: LbServer<S> | undefined;
    for (const server of (choice.backup ? this.backup : this.active).items()) {
      if (!this.hasRoom(server.view)) continue;
      if (server !== avoid) return server;
      avoided = server;
    }
    return avoided ?? "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    const tree = this.treeOf(server);
    if (server.usable) tree.remove(server);
    if (next.usable) tree.insert(this.key(server.view, next.eweight), server);
    commit(server, next);
    this.totals = recountWeights(this.servers, this.allBackups);
  }

  protected treeOf(server: LbServer<S>): OrderedTree<LbServer<S>> {
    return server.view.backup ? this.backup : this.active;
  }
}
