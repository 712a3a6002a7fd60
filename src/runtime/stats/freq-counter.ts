/**
 * Events per second over a sliding second, like HAProxy's `freq_ctr`: a count for the current
 * one-second period and the count of the period before, which fades out linearly as the current
 * period advances. Two numbers and no timer, so counting an event is a few arithmetic operations.
 */

const PERIOD_MS = 1000;

export class FreqCounter {
  private periodStartMs = 0;
  private current = 0;
  private previous = 0;

  /**
   * Counts `count` events at `nowMs` and returns the count of the current period: HAProxy keeps
   * its `*_max` rates as the highest of these returns, not of the smoothed rate.
   */
  add(nowMs: number, count = 1): number {
    this.rotate(nowMs);
    this.current += count;
    return this.current;
  }

  /** Events in the last second at `nowMs`: this period's count plus the fading share of the last one. */
  read(nowMs: number): number {
    let current = this.current;
    let previous = this.previous;
    let remainingMs = this.periodStartMs + PERIOD_MS - nowMs;
    if (remainingMs < 0) {
      // The counter was not touched for more than a period: the stored "current" is now the past.
      remainingMs += PERIOD_MS;
      if (remainingMs < 0) return 0;
      previous = current;
      current = 0;
    }
    // A clock that stepped back must not inflate the previous period's share.
    remainingMs = Math.min(remainingMs, PERIOD_MS);
    return Math.floor((previous * remainingMs + current * PERIOD_MS) / PERIOD_MS);
  }

  private rotate(nowMs: number): void {
    const elapsedMs = nowMs - this.periodStartMs;
    if (elapsedMs < PERIOD_MS) return;
    this.previous = elapsedMs >= 2 * PERIOD_MS ? 0 : this.current;
    this.current = 0;
    this.periodStartMs += Math.floor(elapsedMs / PERIOD_MS) * PERIOD_MS;
  }
}
