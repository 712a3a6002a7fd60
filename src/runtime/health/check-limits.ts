/**
 * How long one check may take, from `inter` and the proxy's timeouts (HAProxy 2.6
 * configuration.txt, "timeout check"; src/check.c):
 * - without `timeout check`, connecting and getting the answer must both fit in `inter`;
 * - with it, connecting may take min(`timeout connect`, `inter`) (just `inter` when `timeout connect`
 *   is unset) and the answer must then come within `timeout check` of the connection.
 * Which limit ran out decides the verdict: before the connection, "Layer4 timeout"; after, "Layer7".
 */
import type { IrTimeouts } from "../../ir/types.js";

export type CheckTimeLimits =
  | { readonly kind: "whole"; readonly totalMs: number }
  | { readonly kind: "split"; readonly connectMs: number; readonly responseMs: number };

export function checkTimeLimits(intervalMs: number, timeouts: IrTimeouts): CheckTimeLimits {
  const checkMs = timeouts.check;
  if (checkMs === undefined || checkMs === 0) return { kind: "whole", totalMs: intervalMs };
  const connectMs = timeouts.connect === undefined || timeouts.connect === 0 ? intervalMs : Math.min(timeouts.connect, intervalMs);
  return { kind: "split", connectMs, responseMs: checkMs };
}

/** The time allowed to establish the connection, counted from the start of the check. */
export function connectLimitMs(limits: CheckTimeLimits): number {
  return limits.kind === "whole" ? limits.totalMs : limits.connectMs;
}
