/**
 * `balance random` (HAProxy's default `random(2)`): draw a random 32-bit key on the consistent-hash
 * ring `draws` times and keep the server with the fewest current connections relative to its
 * weight (power of two choices). If the winner is full the request waits in the backend queue.
 * The random source is injectable so tests can fix it.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import { ConsistentRing } from "./consistent-ring.js";
import {
  chooseGroup,
  recountWeights,
  scaledWeight,
  type BackendWeights,
  type LbServer,
  type NextLbState,
} from "./lb-server.js";
import type { ServerView } from "./server-view.js";

/** HAProxy's default number of draws for `balance random`. */
export const DEFAULT_RANDOM_DRAWS = 2;

/** A uniformly distributed unsigned 32-bit integer. */
export type Random32 = () => number;

export const defaultRandom32: Random32 = () => Math.floor(Math.random() * 0x1_0000_0000) >>> 0;

export class RandomDraws<S extends ServerView> implements LbAlgorithm<S> {
  private readonly active = new ConsistentRing<S>();
  private readonly backup = new ConsistentRing<S>();
  private totals: BackendWeights<S>;

  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
    private readonly draws: number,
    private readonly random32: Random32,
  ) {
    this.totals = recountWeights(servers, allBackups);
    for (const server of servers) {
      if (server.usable) this.ringOf(server).setPointCount(server, server.eweight);
    }
  }

  effectiveWeight(userWeight: number): number {
    return scaledWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  /** get_server_rnd. */
  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    let best: LbServer<S> | null = null;
    for (let draw = 0; draw < Math.max(1, this.draws); draw++) {
      const previous: LbServer<S> | null = best;
      best = this.serverAt(this.random32() >>> 0, avoid);
      if (!best) break;
      // Keep the earlier draw unless the new one is less loaded for its weight.
      if (previous && previous !== best && best.view.currentConnections * previous.eweight > previous.view.currentConnections * best.eweight) {
        best = previous;
      }
    }
    if (!best) return "full";
    const { view } = best;
    const maxconn = view.maxconn ?? 0;
    if (view.queuedRequests > 0 || (maxconn > 0 && view.currentConnections >= maxconn)) return "full";
    return best;
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    this.ringOf(server).setPointCount(server, next.usable ? next.eweight : 0);
    commit(server, next);
    this.totals = recountWeights(this.servers, this.allBackups);
  }

  loadChanged(): void {
    // Load is read at pick time.
  }

  /** chash_get_server_hash's group choice: actives, else the lone first backup, else all backups. */
  private serverAt(key: number, avoid: LbServer<S> | undefined): LbServer<S> | null {
    const choice = chooseGroup(this.totals);
    if (choice.kind === "none") return null;
    if (choice.kind === "first-backup") return choice.server;
    return (choice.backup ? this.backup : this.active).serverAt(key, avoid);
  }

  private ringOf(server: LbServer<S>): ConsistentRing<S> {
    return server.view.backup ? this.backup : this.active;
  }
}
