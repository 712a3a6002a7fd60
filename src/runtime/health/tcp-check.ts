/** A plain `check` without `option httpchk`: the server is healthy if it accepts the connection. */
import type { CheckTimeLimits } from "./check-limits.js";
import { type CheckEndpoint, checkOverSocket } from "./check-socket.js";
import type { CheckResult } from "./check-status.js";

/** L4OK once connected; L4CON (refused, unreachable) or L4TOUT otherwise. Sends nothing. */
export function runTcpCheck(endpoint: CheckEndpoint, limits: CheckTimeLimits, signal?: AbortSignal): Promise<CheckResult> {
  return checkOverSocket(endpoint, limits, (_socket, finish) => finish({ status: "L4OK" }), signal);
}
