/** HAProxy time values. */
import { InternalError } from "../../util/internal-error.js";

const UNITS: readonly (readonly [string, number])[] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
];

/** Milliseconds → the largest unit that states them exactly: `1d`, `2h`, `5m`, `30s`, `1500ms`. */
export function haproxyDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InternalError(`bad duration ${ms}`);
  if (ms === 0) return "0ms";
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
