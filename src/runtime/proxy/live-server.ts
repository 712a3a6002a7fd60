/**
 * One server of a backend as the core keeps it: the single object the balancer reads (ServerView),
 * the statistics page shows (its StatsServer), the health checker updates (through its
 * ServerStatus) and requests wait on (its queue). Nothing else holds a server's state.
 */
import type { IrServer } from "../../ir/types.js";
import type { ServerView } from "../balance/index.js";
import type { StatsServer } from "../stats/index.js";
import { ConnectionPool } from "./server-connection.js";
import { WaitQueue } from "./wait-queue.js";
import type { SlotRequest } from "./backend-runtime.js";

export class LiveServer implements ServerView {
  readonly name: string;
  readonly id: number;
  readonly backup: boolean;
  readonly maxconn: number | undefined;
  readonly address: string;
  readonly port: number;
  /** This server's value of the persistence cookie, when the backend has one. */
  readonly cookie: string | undefined;
  /** Requests being served now (HAProxy's `served`): from slot taken to response ended. */
  currentConnections = 0;
  readonly queue = new WaitQueue<SlotRequest>();
  readonly pool: ConnectionPool;

  constructor(
    ir: IrServer,
    id: number,
    readonly stats: StatsServer,
  ) {
    this.name = ir.name;
    this.id = id;
    this.backup = ir.backup;
    this.maxconn = ir.maxconn;
    this.address = ir.address;
    this.port = ir.port;
    this.cookie = ir.cookie;
    this.pool = new ConnectionPool({ address: ir.address, port: ir.port });
  }

  get weight(): number {
    return this.stats.status.weight;
  }

  get usable(): boolean {
    return this.stats.status.isUsable();
  }

  /** Takes persistent traffic (a valid cookie): up, even if draining, and not in maintenance. */
  get running(): boolean {
    const status = this.stats.status;
    return !status.maintenance && status.state !== "stopped";
  }

  get queuedRequests(): number {
    return this.queue.length;
  }

  /** Room for one more request now (maxconn 0 or absent: unlimited). */
  get hasRoom(): boolean {
    return !this.maxconn || this.currentConnections < this.maxconn;
  }
}
