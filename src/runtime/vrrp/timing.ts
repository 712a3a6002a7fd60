/**
 * The two VRRP timers derived from the priority, as Keepalived 2.2 computes them (vrrp.h
 * VRRP_TIMER_SKEW / VRRP_MS_DOWN_TIMER; RFC 3768 §6.1, RFC 5798 §6.1):
 *
 * - Skew_Time = (256 − priority) / 256 s for VRRPv2; VRRPv3 scales it by the advert interval:
 *   (256 − priority) × interval / 256.
 * - Master_Down_Interval = 3 × advert interval + Skew_Time.
 *
 * Keepalived uses the *effective* priority (tracked weights included), so a tracked failure also
 * makes a backup wait longer. It counts in microseconds with integer division (prio 100 →
 * 609375 µs); Node timers count milliseconds, so the millisecond values are truncated
 * (609 ms → Master_Down_Interval 3609 ms for prio 100, 648 / 3648 ms for prio 90). Priorities
 * one apart differ by 3.9 ms of skew, so the truncation never changes who fires first.
 */

export type VrrpVersion = 2 | 3;

/** Keepalived's down_timer_adverts default: a backup waits three missed adverts. */
export const DOWN_TIMER_ADVERTS = 3;

/** Skew_Time in whole microseconds, exactly Keepalived's value. */
export function skewTimeMicros(priority: number, advertIntervalMs: number, version: VrrpVersion = 2): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > 255) throw new RangeError(`priority must be 0-255 (got ${priority})`);
  if (version === 2) return Math.floor(((256 - priority) * 1_000_000) / 256);
  // v3: ((256 − p) × centiseconds × 625) / 16, 625/16 being 10 000 µs / 256.
  const centiseconds = Math.floor(advertIntervalMs / 10);
  return Math.floor(((256 - priority) * centiseconds * 625) / 16);
}

/** Skew_Time in milliseconds (truncated). */
export function skewTimeMs(priority: number, advertIntervalMs: number, version: VrrpVersion = 2): number {
  return Math.floor(skewTimeMicros(priority, advertIntervalMs, version) / 1000);
}

/** Master_Down_Interval in milliseconds: how long a backup waits for the master's next advert. */
export function masterDownIntervalMs(priority: number, advertIntervalMs: number, version: VrrpVersion = 2): number {
  return DOWN_TIMER_ADVERTS * advertIntervalMs + skewTimeMs(priority, advertIntervalMs, version);
}
