/**
 * `balance static-rr`: round-robin over HAProxy's static weighted map (see server-map.ts). Unlike
 * `roundrobin` its order is fixed by the map (6,3,1 → A A B A A B A B A C) and a returning server
 * is used again as soon as the map is rebuilt.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import type { BackendWeights, LbServer, NextLbState } from "./lb-server.js";
import { ServerMap } from "./server-map.js";
import type { ServerView } from "./server-view.js";

export class StaticRoundRobin<S extends ServerView> implements LbAlgorithm<S> {
  constructor(private readonly map: ServerMap<S>) {}

  effectiveWeight(userWeight: number): number {
    return this.map.effectiveWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.map.weights();
  }

  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    return this.map.nextInRotation(avoid) ?? "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    commit(server, next);
    this.map.refresh();
  }

  loadChanged(): void {
    // The map ignores load; saturated servers are skipped when picking.
  }
}
