/**
 * Runs every checked server's checks the way HAProxy 2.6 schedules them, and keeps each server's
 * state: UP, DOWN, or MAINT (`disabled`). Servers without `check` are always UP; MAINT servers are
 * not checked (HAProxy pauses their check) but keep their place in the schedule.
 *
 * Timing: the first checks are spread (first-check-delays.ts); each later check starts `inter`
 * after the previous one ended. halb never writes `fastinter`/`downinter`/`spread-checks`, so
 * `inter` is the only interval.
 */
import { checkPassed, checkReason, type CheckResult } from "./check-status.js";
import { firstCheckDelays } from "./first-check-delays.js";
import { checkedStatsStatus, type HealthCounter, isHealthUp, recordCheck, startingHealth } from "./health-counter.js";
import { runHttpCheck } from "./http-check.js";
import type { CheckPlan, HealthTarget } from "./targets.js";
import { runTcpCheck } from "./tcp-check.js";

export type ServerState = "UP" | "DOWN" | "MAINT";

/** The states checks move a server between (MAINT comes only from the configuration). */
export type CheckedState = Exclude<ServerState, "MAINT">;

export type CheckedTarget = HealthTarget & { readonly check: CheckPlan };

export interface StateChangeDetails {
  /** The check that decided the change. */
  readonly check: CheckResult;
  /** The counter after that check. */
  readonly health: HealthCounter;
  /** Usable servers of the same proxy after the change (UP with a weight above 0), as HAProxy counts them. */
  readonly activeServers: number;
  readonly backupServers: number;
}

/** `reason` is HAProxy's description of the deciding check's status ("Layer4 connection problem"). */
export type StateChangeListener = (
  server: CheckedTarget,
  from: CheckedState,
  to: CheckedState,
  reason: string,
  details: StateChangeDetails,
) => void;

/** One completed check, with what came before it. */
export interface CheckReport {
  readonly result: CheckResult;
  /** The server's previous check, null for its first. */
  readonly previous: CheckResult | null;
  readonly before: HealthCounter;
  readonly after: HealthCounter;
}

/** Every completed check, state change or not (what `option log-health-checks` reports on). */
export type CheckListener = (server: CheckedTarget, report: CheckReport) => void;

/** Runs one check; must settle, and reject only when `signal` aborts. */
export type CheckRunner = (server: CheckedTarget, signal: AbortSignal) => Promise<CheckResult>;

export interface HealthSchedulerOptions {
  readonly onStateChange?: StateChangeListener;
  readonly onCheck?: CheckListener;
  /** The probes over real sockets unless replaced (tests script results with this). */
  readonly runCheck?: CheckRunner;
  /**
   * Whether a server's checks are paused now. Unset, a server is paused while in MAINT from the
   * configuration; the proxy core answers from its own server state instead (admin maintenance,
   * checks disabled from the statistics page).
   */
  readonly isPaused?: (server: CheckedTarget) => boolean;
}

/** What the stats page and the balancer read about one server. */
export interface ServerHealthView {
  readonly target: HealthTarget;
  readonly state: ServerState;
  /** null for a server without `check`. */
  readonly health: HealthCounter | null;
  /** The stats page's `status`: `UP`, `UP 1/3`, `DOWN`, `DOWN 1/2`, `no check` or `MAINT`. */
  readonly statsStatus: string;
  /** null until the first check has ended (HAProxy's stats say `INI` then). */
  readonly lastCheck: CheckResult | null;
  /** HAProxy prefixes `check_status` with `* ` meanwhile. */
  readonly checkInProgress: boolean;
  /** Failed checks that cost health (stats `chkfail`). */
  readonly failedChecks: number;
  /** UP → DOWN transitions (stats `chkdown`). */
  readonly downTransitions: number;
  /** Date.now() of the last state change, or of the scheduler's creation (stats `lastchg`). */
  readonly lastChangeAt: number;
}

interface ServerEntry {
  readonly target: HealthTarget;
  state: ServerState;
  health: HealthCounter | null;
  lastCheck: CheckResult | null;
  running: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  failedChecks: number;
  downTransitions: number;
  lastChangeAt: number;
}

interface CheckedEntry extends ServerEntry {
  readonly target: CheckedTarget;
  health: HealthCounter;
}

function isChecked(entry: ServerEntry): entry is CheckedEntry {
  return entry.target.check !== null;
}

export function runCheckOverNetwork(server: CheckedTarget, signal: AbortSignal): Promise<CheckResult> {
  const { check } = server;
  return check.kind === "http" ? runHttpCheck(server, check, check.limits, signal) : runTcpCheck(server, check.limits, signal);
}

export class HealthScheduler {
  readonly #entries: ServerEntry[];
  readonly #byName = new Map<string, ServerEntry>();
  readonly #options: HealthSchedulerOptions;
  readonly #runCheck: CheckRunner;
  readonly #abort = new AbortController();
  #started = false;

  constructor(targets: readonly HealthTarget[], options: HealthSchedulerOptions = {}) {
    this.#options = options;
    this.#runCheck = options.runCheck ?? runCheckOverNetwork;
    const createdAt = Date.now();
    this.#entries = targets.map((target) => ({
      target,
      state: target.disabled ? "MAINT" : "UP",
      health: target.check ? startingHealth(target.check.rise, target.check.fall) : null,
      lastCheck: null,
      running: null,
      timer: null,
      failedChecks: 0,
      downTransitions: 0,
      lastChangeAt: createdAt,
    }));
    for (const entry of this.#entries) {
      const key = serverKey(entry.target.proxy, entry.target.server);
      if (this.#byName.has(key)) throw new Error(`server ${key} is listed twice`);
      this.#byName.set(key, entry);
    }
  }

  /** Schedules the first checks. Call once. */
  start(): void {
    if (this.#started) throw new Error("the health scheduler was already started");
    this.#started = true;
    const checked = this.#entries.filter(isChecked);
    const delays = firstCheckDelays(checked.map((entry) => entry.target.check.intervalMs));
    checked.forEach((entry, i) => this.#schedule(entry, delays[i]!));
  }

  /** Cancels every timer and check in flight; resolves once no socket or timer is left. No callback runs afterwards. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error("health scheduler stopped"));
    for (const entry of this.#entries) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    }
    await Promise.allSettled(this.#entries.map((entry) => entry.running).filter((running) => running !== null));
  }

  view(proxy: string, server: string): ServerHealthView | undefined {
    const entry = this.#byName.get(serverKey(proxy, server));
    return entry && viewOf(entry);
  }

  views(): ServerHealthView[] {
    return this.#entries.map(viewOf);
  }

  /** UP (possibly going down): the balancer may pick it. DOWN and MAINT servers get no traffic. */
  isUp(proxy: string, server: string): boolean {
    return this.#byName.get(serverKey(proxy, server))?.state === "UP";
  }

  #schedule(entry: CheckedEntry, delayMs: number): void {
    if (this.#abort.signal.aborted) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.#runOne(entry);
    }, delayMs);
  }

  #runOne(entry: CheckedEntry): void {
    const interval = entry.target.check.intervalMs;
    const paused = this.#options.isPaused ? this.#options.isPaused(entry.target) : entry.state === "MAINT";
    if (paused) {
      this.#schedule(entry, interval);
      return;
    }
    const signal = this.#abort.signal;
    entry.running = this.#runCheck(entry.target, signal)
      .catch((error: unknown): CheckResult | null => {
        if (signal.aborted) return null;
        // A probe that breaks unexpectedly counts as a failed check, as HAProxy's internal errors do.
        return { status: "SOCKERR", info: error instanceof Error ? error.message : String(error), durationMs: 0 };
      })
      .then((result) => {
        entry.running = null;
        if (result === null || signal.aborted) return;
        // Scheduled first, so that a listener that throws cannot stop this server's checks.
        this.#schedule(entry, interval);
        this.#record(entry, result);
      });
  }

  #record(entry: CheckedEntry, result: CheckResult): void {
    const before = entry.health;
    const after = recordCheck(before, checkPassed(result));
    const previous = entry.lastCheck;
    entry.health = after;
    entry.lastCheck = result;
    if (after.health < before.health) entry.failedChecks += 1;
    this.#options.onCheck?.(entry.target, { result, previous, before, after });
    // Checks run only outside maintenance, and nothing sets MAINT while one runs.
    const from = entry.state as CheckedState;
    const to: CheckedState = isHealthUp(after) ? "UP" : "DOWN";
    if (from === to) return;
    entry.state = to;
    entry.lastChangeAt = Date.now();
    if (to === "DOWN") entry.downTransitions += 1;
    const { active, backup } = this.#usableServers(entry.target.proxy);
    this.#options.onStateChange?.(entry.target, from, to, checkReason(result), {
      check: result,
      health: after,
      activeServers: active,
      backupServers: backup,
    });
  }

  #usableServers(proxy: string): { active: number; backup: number } {
    let active = 0;
    let backup = 0;
    for (const { target, state } of this.#entries) {
      if (target.proxy !== proxy || state !== "UP" || target.weight === 0) continue;
      if (target.backup) backup += 1;
      else active += 1;
    }
    return { active, backup };
  }
}

function serverKey(proxy: string, server: string): string {
  return `${proxy}/${server}`;
}

function viewOf(entry: ServerEntry): ServerHealthView {
  const statsStatus = entry.state === "MAINT" ? "MAINT" : entry.health ? checkedStatsStatus(entry.health) : "no check";
  return {
    target: entry.target,
    state: entry.state,
    health: entry.health,
    statsStatus,
    lastCheck: entry.lastCheck,
    checkInProgress: entry.running !== null,
    failedChecks: entry.failedChecks,
    downTransitions: entry.downTransitions,
    lastChangeAt: entry.lastChangeAt,
  };
}
