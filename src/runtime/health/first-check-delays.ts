/**
 * When each server's first check runs, so that checks do not all hit at start-up (HAProxy 2.6
 * src/check.c `start_checks` / `start_check_task`): every checked server of the whole process, in
 * configuration order, gets a position k among N, and its first check waits
 *   floor(max(minInterval, ownInterval) * k / N) ms,
 * where minInterval is the smallest interval of at least 1 s (SRV_CHK_INTER_THRES) among all
 * checked servers, or 0 when none reaches 1 s. Measured on 2.6.12 with intervals (1.5 s, 1.2 s, 3 s):
 * first checks at 0, +0.4 s and +2 s.
 */

/** Intervals shorter than this do not set the spreading base for the others. */
const SPREAD_INTERVAL_THRESHOLD_MS = 1000;

/** The delay before the first check of each server, given every checked server's interval in configuration order. */
export function firstCheckDelays(intervalsMs: readonly number[]): number[] {
  const count = intervalsMs.length;
  const spreading = intervalsMs.filter((ms) => ms >= SPREAD_INTERVAL_THRESHOLD_MS);
  const minInterval = spreading.length === 0 ? 0 : Math.min(...spreading);
  return intervalsMs.map((ownMs, position) => Math.floor((Math.max(minInterval, ownMs) * position) / count));
}
