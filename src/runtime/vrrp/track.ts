/**
 * The result counter of one tracked check (Keepalived's vrrp_script: vrrp_scheduler.c
 * vrrp_script_child_thread and vrrp_init_script; research/runtime-semantics.md §2.4).
 *
 * A single counter `result` in [0, rise+fall−1]; the check is OK while `result ≥ rise`.
 * - It starts at rise−1 and "pending": the first result decides at once, whatever rise and fall
 *   are (one success is enough to be OK, one failure to be failing).
 * - Afterwards a failing check needs `rise` successes in a row (result counts up from 0), and an
 *   OK one `fall` failures in a row (result counts down from rise+fall−1 to rise, then drops to 0).
 *
 * `record` returns the transition Keepalived reports to the instances tracking the check
 * (update_script_priorities), or null when the OK/failing status did not change.
 */

export type TrackStatus = "pending" | "ok" | "failing";
export type TrackTransition = "up" | "down";

export class TrackCounter {
  readonly rise: number;
  readonly fall: number;
  #result: number;
  #pending = true;

  constructor(rise: number, fall: number) {
    if (!Number.isInteger(rise) || rise < 1 || !Number.isInteger(fall) || fall < 1) {
      throw new RangeError(`rise and fall must be whole numbers >= 1 (got rise ${rise}, fall ${fall})`);
    }
    this.rise = rise;
    this.fall = fall;
    this.#result = rise - 1;
  }

  get result(): number {
    return this.#result;
  }

  get status(): TrackStatus {
    if (this.#pending) return "pending";
    return this.#result >= this.rise ? "ok" : "failing";
  }

  /** Counts one run of the check (exit 0 = success; a failure, signal or timeout = failure). */
  record(success: boolean): TrackTransition | null {
    const wasPending = this.#pending;
    this.#pending = false;
    const full = this.rise + this.fall - 1;
    if (success) {
      if (this.#result < this.rise - 1) {
        this.#result++;
        return null;
      }
      if (this.#result === full) return null;
      const cameUp = this.#result < this.rise;
      this.#result = full;
      return cameUp ? "up" : null;
    }
    if (this.#result > this.rise) {
      this.#result--;
      return null;
    }
    const wentDown = this.#result === this.rise || wasPending;
    this.#result = 0;
    return wentDown ? "down" : null;
  }
}
