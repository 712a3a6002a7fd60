/**
 * HAProxy's health state machine for one checked server (src/check.c `set_server_check_status`):
 * a single counter `health` in [0, rise+fall-1]; the server is UP while `health >= rise`.
 *
 * - A failure takes one point; dropping below `rise` resets it to 0, so the server goes DOWN at once
 *   and then needs `rise` consecutive successes.
 * - A success adds one point; reaching `rise` jumps to `rise+fall-1`, so a server that just came UP
 *   needs `fall` consecutive failures to go DOWN.
 * - A server starts UP with `health = rise` ("up, but will fall down at first failure",
 *   src/server.c): its first failed check takes it DOWN, its first success makes it fully UP.
 */

export interface HealthCounter {
  readonly rise: number;
  readonly fall: number;
  readonly health: number;
}

export function startingHealth(rise: number, fall: number): HealthCounter {
  if (!Number.isInteger(rise) || rise < 1 || !Number.isInteger(fall) || fall < 1) {
    throw new RangeError(`rise and fall must be whole numbers >= 1 (got rise ${rise}, fall ${fall})`);
  }
  return { rise, fall, health: rise };
}

export function isHealthUp(counter: HealthCounter): boolean {
  return counter.health >= counter.rise;
}

/** The highest value: UP and needing `fall` failures to go DOWN. */
export function isFullyUp(counter: HealthCounter): boolean {
  return counter.health === counter.rise + counter.fall - 1;
}

/** The counter after one check; unchanged when it is already at the end the result pushes it to. */
export function recordCheck(counter: HealthCounter, passed: boolean): HealthCounter {
  const { rise, fall, health } = counter;
  if (passed) {
    if (health >= rise + fall - 1) return counter;
    const next = health + 1;
    return { rise, fall, health: next >= rise ? rise + fall - 1 : next };
  }
  if (health === 0) return counter;
  const next = health - 1;
  return { rise, fall, health: next < rise ? 0 : next };
}

/**
 * The stats page's `status` for a checked server that is not in maintenance (src/stats.c):
 * `UP`; `UP n/fall` while going down, n = health - rise + 1 (so a server starts as `UP 1/fall`);
 * `DOWN`; `DOWN n/rise` while going up, n = the successes so far.
 */
export function checkedStatsStatus(counter: HealthCounter): string {
  const { rise, fall, health } = counter;
  if (health >= rise) return isFullyUp(counter) ? "UP" : `UP ${health - rise + 1}/${fall}`;
  return health === 0 ? "DOWN" : `DOWN ${health}/${rise}`;
}
