/**
 * `balance first`: HAProxy's "first available" (src/lb_fas.c). Servers are ordered by numeric id
 * and the first one with room takes the request, so load piles onto the lowest ids and the others
 * can be powered down. Weights do not matter; without maxconn the first server takes everything.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import {
  chooseGroup,
  recountWeights,
  scaledWeight,
  type BackendWeights,
  type LbServer,
  type NextLbState,
} from "./lb-server.js";
import { OrderedTree } from "./ordered-tree.js";
import { isSaturated, type ServerView } from "./server-view.js";

export class FirstAvailable<S extends ServerView> implements LbAlgorithm<S> {
  private readonly active = new OrderedTree<LbServer<S>>();
  private readonly backup = new OrderedTree<LbServer<S>>();
  private totals: BackendWeights<S>;

  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
  ) {
    this.totals = recountWeights(servers, allBackups);
    for (const server of servers) {
      if (server.usable) this.treeOf(server).insert(server.view.id, server);
    }
  }

  effectiveWeight(userWeight: number): number {
    return scaledWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  /** fas_get_next_server: the lowest id that is not saturated; the one to avoid only as a last resort. */
  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    const choice = chooseGroup(this.totals);
    if (choice.kind === "none") return "full";
    if (choice.kind === "first-backup") return choice.server;
    let avoided: LbServer<S> | undefined;
    for (const server of (choice.backup ? this.backup : this.active).items()) {
      if (isSaturated(server.view)) continue;
      if (server !== avoid) return server;
      avoided = server;
    }
    return avoided ?? "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    const tree = this.treeOf(server);
    if (server.usable) tree.remove(server);
    if (next.usable) tree.insert(server.view.id, server);
    commit(server, next);
    this.totals = recountWeights(this.servers, this.allBackups);
  }

  loadChanged(): void {
    // The order is by id; load only matters through the saturation test at pick time.
  }

  private treeOf(server: LbServer<S>): OrderedTree<LbServer<S>> {
    return server.view.backup ? this.backup : this.active;
  }
}
