/**
 * A backend's availability as HAProxy 2.6 reports it: UP while the usable servers have some
 * weight (or when it has no servers at all, like the stats page's own backend), with the history
 * of its own transitions. Servers call `refresh` after each change of theirs.
 */
import type { ServerStatus } from "./server-status.js";

/** What the balancer would use now (HAProxy's recount_servers + update_backend_weight). */
export interface BackendWeights {
  /** Usable active servers, and usable backup servers. */
  readonly act: number;
  readonly bck: number;
  /** Weight in use: the usable active servers', else the first usable backup's (all backups' with `option allbackups`). */
  readonly weight: number;
}

export class BackendStatus {
  /** In declaration order; each ServerStatus adds itself. */
  readonly servers: ServerStatus[] = [];
  up = true;
  lastChangeMs: number;
  /** Times the whole backend went DOWN. */
  chkdown = 0;
  private downtimeBeforeMs = 0;
  private downSinceMs: number | null = null;

  constructor(
    /** `option allbackups`: every usable backup serves at once instead of only the first. */
    readonly allBackups: boolean,
    nowMs: number,
  ) {
    this.lastChangeMs = nowMs;
  }

  /** Call once the servers are added: a backend that starts without usable servers is DOWN from the start. */
  start(nowMs: number): void {
    this.up = this.computeUp();
    this.downSinceMs = this.up ? null : nowMs;
  }

  weights(): BackendWeights {
    let act = 0;
    let bck = 0;
    let activeWeight = 0;
    let backupWeight = 0;
    let firstBackupWeight = 0;
    for (const server of this.servers) {
      if (!server.isUsable()) continue;
      if (server.backup) {
        if (bck === 0) firstBackupWeight = server.weight;
        bck += 1;
        backupWeight += server.weight;
      } else {
        act += 1;
        activeWeight += server.weight;
      }
    }
    const weight = act > 0 ? activeWeight : this.allBackups ? backupWeight : firstBackupWeight;
    return { act, bck, weight };
  }

  /** Total time the backend spent DOWN, in ms, up to `nowMs`. */
  downtimeMs(nowMs: number): number {
    return this.downtimeBeforeMs + (this.downSinceMs === null ? 0 : nowMs - this.downSinceMs);
  }

  /** Re-evaluates availability after a server changed. */
  refresh(nowMs: number): void {
    const up = this.computeUp();
    if (up === this.up) return;
    this.up = up;
    this.lastChangeMs = nowMs;
    if (!up) {
      this.chkdown += 1;
      this.downSinceMs = nowMs;
    } else if (this.downSinceMs !== null) {
      this.downtimeBeforeMs += nowMs - this.downSinceMs;
      this.downSinceMs = null;
    }
  }

  private computeUp(): boolean {
    return this.servers.length === 0 || this.weights().weight > 0;
  }
}
