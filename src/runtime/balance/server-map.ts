/**
 * HAProxy's static server map (src/lb_map.c), shared by `static-rr` and by map-based hashing
 * (`source`, `uri` with the default `hash-type map-based`).
 *
 * Weights are divided by the GCD of all user weights (taken once, at start, like `init_server_map`),
 * and the map has one slot per unit of the group's total weight. It is rebuilt whenever a server
 * changes, so a server coming back is used again at once.
 */
import { effectiveWeight, recountWeights, type BackendWeights, type LbServer } from "./lb-server.js";
import { isSaturated, type ServerView } from "./server-view.js";

export class ServerMap<S extends ServerView> {
  private slots: LbServer<S>[] = [];
  private roundRobinIndex = 0;
  private totals: BackendWeights<S>;

  /**
   * `weightDivisor` is HAProxy's `wmult`: mapWeightDivisor() of the configured user weights, found
   * once before any change.
   */
  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
    private readonly weightDivisor: number,
  ) {
    this.totals = recountWeights(servers, allBackups);
    this.rebuild();
  }

  effectiveWeight(userWeight: number): number {
    return effectiveWeight(userWeight, 1, this.weightDivisor);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  /** Call after any committed change: recount the backend, then rebuild the map. */
  refresh(): void {
    this.totals = recountWeights(this.servers, this.allBackups);
    this.rebuild();
  }

  /**
   * map_get_server_rr: walk the map from where the last pick stopped, skipping saturated servers;
   * the server to avoid is only taken when nothing else has room.
   */
  nextInRotation(avoid: LbServer<S> | undefined): LbServer<S> | null {
    const total = this.totals.totalWeight;
    if (total === 0) return null;
    if (this.roundRobinIndex < 0 || this.roundRobinIndex >= total) this.roundRobinIndex = 0;
    let index = this.roundRobinIndex;
    let fallback: LbServer<S> | null = null;
    let fallbackIndex = 0;
    do {
      const server = this.slotAt(index);
      index += 1;
      if (!isSaturated(server.view)) {
        fallback = server;
        fallbackIndex = index;
        if (server !== avoid) {
          this.roundRobinIndex = index;
          return server;
        }
      }
      if (index === total) index = 0;
    } while (index !== this.roundRobinIndex);
    if (fallback) this.roundRobinIndex = fallbackIndex;
    return fallback;
  }

  /** map_get_server_hash: the slot `hash % Σweight`, full or not (the core queues on it if full). */
  atHash(hash: number): LbServer<S> | null {
    const total = this.totals.totalWeight;
    if (total === 0) return null;
    return this.slotAt((hash >>> 0) % total);
  }

  /**
   * recalc_server_map: for each slot every candidate adds its weight to a score and the highest
   * `(score + total) / total` wins, the first declared on ties; the winner pays `total`. Candidates
   * are the usable actives, or the usable backups when no active is left. With only the first
   * backup in use the map still has that backup's weight in slots, but any usable backup competes
   * for them: a later backup at least twice as heavy wins some, exactly as in HAProxy.
   */
  private rebuild(): void {
    const totals = this.totals;
    if (totals.totalUsed === 0) {
      this.slots = [];
      return;
    }
    const total = totals.totalWeight;
    const useBackups = totals.activeServers === 0;
    const scores = new Map<LbServer<S>, number>(this.servers.map((server) => [server, 0]));
    const slots: LbServer<S>[] = [];
    for (let slot = 0; slot < total; slot++) {
      let best: LbServer<S> | null = null;
      let bestValue = 0;
      for (const server of this.servers) {
        if (server.view.backup !== useBackups || !server.usable) continue;
        // With a single slot the division would misbehave; the first candidate takes it.
        if (total === 1) {
          best = server;
          break;
        }
        const score = (scores.get(server) ?? 0) + server.eweight;
        scores.set(server, score);
        // C integer division truncates toward zero, also for negative scores.
        const value = Math.trunc((score + total) / total);
        if (best === null || value > bestValue) {
          bestValue = value;
          best = server;
        }
      }
      if (best === null) break;
      slots.push(best);
      scores.set(best, (scores.get(best) ?? 0) - total);
    }
    this.slots = slots;
  }

  private slotAt(index: number): LbServer<S> {
    const server = this.slots[index];
    if (!server) throw new Error(`server map: slot ${index} is empty (map of ${this.slots.length}, total weight ${this.totals.totalWeight})`);
    return server;
  }
}

/** The map's weight divisor: Euclid over the user weights, skipping leading zeros, stopping early at 1 (init_server_map). */
export function mapWeightDivisor(weights: readonly number[]): number {
  const firstNonZero = weights.findIndex((weight) => weight > 0);
  if (firstNonZero < 0) return 1;
  let divisor = weights[firstNonZero] ?? 1;
  for (const weight of weights.slice(firstNonZero + 1)) {
    if (divisor <= 1) break;
    let remainder = weight;
    while (remainder) {
      const next = divisor % remainder;
      divisor = remainder;
      remainder = next;
    }
  }
  return divisor;
}
