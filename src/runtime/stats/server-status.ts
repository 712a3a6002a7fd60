/**
 * A server's state as HAProxy 2.6 keeps it for the statistics page: its health (running,
 * stopping = NOLB, stopped), the administrative flags (maintenance, drain), the last health check,
 * and the history the page reports (last change, downtime, failed checks, UP→DOWN transitions).
 *
 * This is the server's state, not a copy of it: the health checker reports each check here and
 * reads `check.health` back before computing the next one, and the admin page's actions change it
 * here, so the balancer should read `isUsable()` from here too.
 */
import type { BackendStatus } from "./backend-status.js";
import { type CheckStatus, checkStatusFinished, checkStatusPassed } from "./check-status.js";

export type ServerHealthState = "running" | "stopping" | "stopped";

/** One finished health check, as the checker reports it. */
export interface CheckReport {
  readonly status: CheckStatus;
  /** The response code, for statuses that have one (L7OK, L7OKC, L7STS). */
  readonly code?: number;
  readonly durationMs: number;
  /** HAProxy's `last_chk`: the error ("Connection refused") or what the response said; "" when there is nothing to add. */
  readonly description: string;
  /**
   * The health counter after this check, 0 … rise+fall-1: the server is UP from `rise` on, a
   * failure below `rise` drops it to 0 and a success reaching `rise` lifts it to the top (§1.9).
   */
  readonly health: number;
}

/** The health check of one server. */
export class ServerCheck {
  /** Cleared by the admin action "disable checks": the page then shows no check at all. */
  enabled = true;
  /** A check is running now (the checker sets it when one starts): `check_status` is then prefixed with "* ". */
  inProgress = false;
  /** HAProxy starts a checked server UP with health = rise: "up, but down at the first failure". */
  health: number;
  status: CheckStatus = "INI";
  code: number | undefined = undefined;
  durationMs: number | undefined = undefined;
  description = "";

  constructor(
    readonly rise: number,
    readonly fall: number,
  ) {
    this.health = rise;
  }

  /** The health of a fully UP server. */
  get maxHealth(): number {
    return this.rise + this.fall - 1;
  }
}

export interface ServerStatusInit {
  readonly name: string;
  readonly weight: number;
  readonly backup: boolean;
  /** `disabled` in the spec: the server starts in maintenance. */
  readonly disabled: boolean;
  /** The server is health-checked, with these thresholds. */
  readonly check: { readonly rise: number; readonly fall: number } | null;
}

export class ServerStatus {
  readonly name: string;
  readonly backup: boolean;
  /** The configured weight (HAProxy's user weight); the effective weight equals it, as halb has no slowstart. */
  weight: number;
  state: ServerHealthState = "running";
  /** Maintenance (MAINT): from `disabled` in the spec or the admin action; checks pause meanwhile. */
  maintenance: boolean;
  /** Drain (DRAIN): no new requests except persistent ones, existing sessions finish. */
  drain = false;
  readonly check: ServerCheck | null;
  /** When the state last changed (ms): feeds `lastchg`. */
  lastChangeMs: number;
  /** Checks that failed while the server still had health left (HAProxy's `chkfail`). */
  chkfail = 0;
  /** Transitions from UP (or NOLB, DRAIN) to DOWN or MAINT (HAProxy's `chkdown`). */
  chkdown = 0;
  private downtimeBeforeMs = 0;
  private downSinceMs: number | null;

  constructor(
    init: ServerStatusInit,
    private readonly backend: BackendStatus,
    nowMs: number,
  ) {
    this.name = init.name;
    this.backup = init.backup;
    this.weight = init.weight;
    this.maintenance = init.disabled;
    this.check = init.check ? new ServerCheck(init.check.rise, init.check.fall) : null;
    this.lastChangeMs = nowMs;
    this.downSinceMs = init.disabled ? nowMs : null;
    backend.servers.push(this);
  }

  /** The server is checked and checks are on (HAProxy's CHK_ST_ENABLED). */
  get checkEnabled(): boolean {
    return this.check !== null && this.check.enabled;
  }

  /** Check results are shown: checks are on and not paused by maintenance. */
  get checkActive(): boolean {
    return this.checkEnabled && !this.maintenance;
  }

  /** DOWN or in maintenance: the time counts as downtime. */
  isDown(): boolean {
    return this.maintenance || this.state === "stopped";
  }

  /** May take new requests from the balancer (HAProxy's srv_currently_usable). */
  isUsable(): boolean {
    return !this.maintenance && !this.drain && this.state === "running" && this.weight > 0;
  }

  /** Total time spent DOWN or in maintenance, in ms, up to `nowMs`. */
  downtimeMs(nowMs: number): number {
    return this.downtimeBeforeMs + (this.downSinceMs === null ? 0 : nowMs - this.downSinceMs);
  }

  /**
   * Records a finished check. Crossing `rise` changes the state: health falling below it stops
   * the server, health reaching it starts it again. The checker runs only while `checkActive`
   * (HAProxy pauses checks in maintenance and stops them when disabled from the page); a report
   * that arrives otherwise is ignored, as leaving maintenance resets the health anyway.
   */
  recordCheck(report: CheckReport, nowMs: number): void {
    const check = this.check;
    if (check === null || !this.checkActive) return;
    const healthBefore = check.health;
    if (!checkStatusPassed(report.status) && checkStatusFinished(report.status) && healthBefore > 0) this.chkfail += 1;
    check.health = report.health;
    check.status = report.status;
    check.code = report.code;
    check.durationMs = report.durationMs;
    check.description = report.description;
    check.inProgress = false;
    if (healthBefore >= check.rise && report.health < check.rise) this.setState("stopped", nowMs);
    else if (healthBefore < check.rise && report.health >= check.rise) this.setState("running", nowMs);
  }

  /** Changes the health state (the checker crossing `rise`, or the admin actions that force it). */
  setState(state: ServerHealthState, nowMs: number): void {
    if (state === this.state) return;
    const wasDown = this.isDown();
    this.state = state;
    if (this.maintenance) return;
    this.lastChangeMs = nowMs;
    this.noteDownness(wasDown, nowMs);
  }

  /**
   * Admin "force UP / NOLB / DOWN": the health counter jumps to the top (or to 0) and the state
   * follows at once, as HAProxy's stats page does, checked or not.
   */
  forceHealth(state: ServerHealthState, nowMs: number): void {
    if (this.check !== null) this.check.health = state === "stopped" ? 0 : this.check.maxHealth;
    this.setState(state, nowMs);
  }

  /**
   * Sets both administrative flags at once, so the backend sees one change (an admin "drain" on a
   * server in maintenance must not make it usable in between). Leaving maintenance starts the
   * server running again; a checked server comes back with health = rise, so the first failed
   * check takes it down again. Entering maintenance while already DOWN keeps the time of that change.
   */
  setAdminState(next: { readonly maintenance: boolean; readonly drain: boolean }, nowMs: number): void {
    if (next.maintenance === this.maintenance && next.drain === this.drain) return;
    const wasDown = this.isDown();
    const entering = next.maintenance && !this.maintenance;
    if (this.maintenance && !next.maintenance) {
      this.state = "running";
      if (this.check !== null) {
        this.check.health = this.check.rise;
        this.check.inProgress = false;
      }
    }
    this.maintenance = next.maintenance;
    this.drain = next.drain;
    if (!(entering && wasDown)) this.lastChangeMs = nowMs;
    this.noteDownness(wasDown, nowMs);
  }

  setMaintenance(on: boolean, nowMs: number): void {
    this.setAdminState({ maintenance: on, drain: this.drain }, nowMs);
  }

  setDrain(on: boolean, nowMs: number): void {
    this.setAdminState({ maintenance: this.maintenance, drain: on }, nowMs);
  }

  /** Admin "disable / enable checks": the server keeps its state meanwhile. */
  setCheckEnabled(on: boolean): boolean {
    if (this.check === null || this.check.enabled === on) return false;
    this.check.enabled = on;
    return true;
  }

  private noteDownness(wasDown: boolean, nowMs: number): void {
    const down = this.isDown();
    if (!wasDown && down) {
      this.chkdown += 1;
      this.downSinceMs = nowMs;
    } else if (wasDown && !down && this.downSinceMs !== null) {
      this.downtimeBeforeMs += nowMs - this.downSinceMs;
      this.downSinceMs = null;
    }
    this.backend.refresh(nowMs);
  }
}
