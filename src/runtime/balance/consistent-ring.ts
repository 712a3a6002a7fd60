/**
 * HAProxy's consistent-hash ring (src/lb_chash.c), which `balance random` draws from. Each server
 * owns `eweight` points at `full_hash(id × 4096 + n)`; a 32-bit key lands on the closest point,
 * before or after it. The points a server owns follow its weight: dropping weight removes its last
 * points, raising it adds more, so the other servers' points never move.
 */
import { fullHash } from "./hash-functions.js";
import { MAX_EFFECTIVE_WEIGHT, type LbServer } from "./lb-server.js";
import { OrderedTree } from "./ordered-tree.js";
import type { ServerView } from "./server-view.js";

export class ConsistentRing<S extends ServerView> {
  private readonly points = new OrderedTree<RingPoint<S>>();
  /** The points each server may own, created on demand, and how many of them are on the ring. */
  private readonly ownPoints = new Map<LbServer<S>, RingPoint<S>[]>();
  private readonly pointsOnRing = new Map<LbServer<S>, number>();

  /** chash_queue_dequeue_srv: put exactly `count` of the server's points on the ring. */
  setPointCount(server: LbServer<S>, count: number): void {
    const own = this.ownPoints.get(server) ?? [];
    this.ownPoints.set(server, own);
    for (let index = own.length; index < count; index++) {
      own.push({ server, key: fullHash(server.view.id * MAX_EFFECTIVE_WEIGHT + index) });
    }
    let present = this.pointsOnRing.get(server) ?? 0;
    while (present > count) {
      present -= 1;
      const point = own[present];
      if (point) this.points.remove(point);
    }
    while (present < count) {
      const point = own[present];
      if (point) this.points.insert(point.key, point);
      present += 1;
    }
    this.pointsOnRing.set(server, present);
  }

  /**
   * chash_get_server_hash: the server of the point closest to `key` (the earlier one on a tie),
   * stepping on around the ring past the server to avoid.
   */
  serverAt(key: number, avoid: LbServer<S> | undefined): LbServer<S> | null {
    const size = this.points.size;
    if (size === 0) return null;
    let nextIndex = this.points.lowerBound(key >>> 0);
    if (nextIndex === size) nextIndex = 0;
    const previousIndex = nextIndex === 0 ? size - 1 : nextIndex - 1;
    const next = this.points.entryAt(nextIndex);
    const previous = this.points.entryAt(previousIndex);
    if (!next || !previous) return null;
    const distanceToPrevious = (key - previous.key) >>> 0;
    const distanceToNext = (next.key - key) >>> 0;
    let index = distanceToPrevious <= distanceToNext ? previousIndex : nextIndex;
    let server = this.points.entryAt(index)?.item.server ?? null;
    let wrapped = 0;
    while (server === avoid) {
      index += 1;
      if (index === size) {
        index = 0;
        wrapped += 1;
        if (wrapped > 1) break;
      }
      server = this.points.entryAt(index)?.item.server ?? null;
    }
    return server;
  }
}

interface RingPoint<S extends ServerView> {
  readonly server: LbServer<S>;
  readonly key: number;
}
