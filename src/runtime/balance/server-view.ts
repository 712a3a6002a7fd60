/**
 * What server selection needs to know about a live server, and nothing more. The proxy core owns
 * the real server object (sockets, health, stats) and hands the balancer something with this shape;
 * the balancer only reads it, so the core stays the single place where a server's state changes.
 */

export interface ServerView {
  /** The server's name in its backend, for messages. */
  readonly name: string;
  /**
   * HAProxy's numeric id (`puid`): an explicit `id`, else the lowest id not yet taken, given in
   * declaration order (1, 2, 3… when no server sets one). `first` serves servers in id order and
   * `random` places them on its hash ring by id.
   */
  readonly id: number;
  /** The user weight, 0–256 (HAProxy's `uweight`); 0 takes no load-balanced traffic. */
  readonly weight: number;
  readonly backup: boolean;
  /**
   * Whether load balancing may send new traffic here: the server is up and neither in
   * maintenance, nor draining, nor NOLB. A draining server still serves persistent traffic,
   * but that is decided before the balancer is asked.
   */
  readonly usable: boolean;
  /** Requests the server is handling now (HAProxy's `served`). */
  readonly currentConnections: number;
  /** Requests waiting in this server's own queue (HAProxy's `queue.length`). */
  readonly queuedRequests: number;
  /** The server's `maxconn`; 0 or absent means unlimited. */
  readonly maxconn?: number | undefined;
}

/**
 * HAProxy's "saturated" test used by roundrobin, static-rr, first and random before choosing a
 * server, and by the core before using a server some other way (hash, cookie): with a maxconn,
 * a server is full when it serves maxconn requests or already has a queue of its own, so newcomers
 * never overtake the requests that are waiting for it. `random` also counts a queue without maxconn.
 */
export function isSaturated(server: ServerView): boolean {
  const maxconn = server.maxconn ?? 0;
  return maxconn > 0 && (server.queuedRequests > 0 || server.currentConnections >= maxconn);
}
