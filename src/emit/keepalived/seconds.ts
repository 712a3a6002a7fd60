/** Keepalived time values, which are (decimal) seconds. */
import { InternalError } from "../../util/internal-error.js";

/** Milliseconds → seconds: `2000` → `2`, `1500` → `1.5`. */
export function keepalivedSeconds(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InternalError(`bad duration ${ms}`);
  const whole = Math.trunc(ms / 1000);
  const frac = ms % 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, "0").replace(/0+$/, "")}`;
}

/** Whole seconds, for settings Keepalived 2.2 reads as integers (vrrp_script interval/timeout, advert_int). */
export function keepalivedWholeSeconds(ms: number): string {
  if (ms % 1000 !== 0) throw new InternalError(`${ms} ms is not whole seconds`);
  return keepalivedSeconds(ms);
}
