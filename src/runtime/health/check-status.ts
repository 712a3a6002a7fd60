/**
 * The outcome of one health check, in HAProxy's vocabulary: the short status the stats page shows
 * (`check_status`) and the description its log lines give as the "reason".
 */

/** The statuses a TCP connect check or an HTTP check can end with (HAProxy 2.6, doc/management.txt §9.1). */
export type CheckStatus = "L4OK" | "L4TOUT" | "L4CON" | "L7OK" | "L7TOUT" | "L7RSP" | "L7STS" | "SOCKERR";

/** HAProxy's own words for each status, as its "Server … is DOWN, reason: …" lines print them. */
export const CHECK_STATUS_DESCRIPTIONS: Readonly<Record<CheckStatus, string>> = {
  L4OK: "Layer4 check passed",
  L4TOUT: "Layer4 timeout",
  L4CON: "Layer4 connection problem",
  L7OK: "Layer7 check passed",
  L7TOUT: "Layer7 timeout",
  L7RSP: "Layer7 invalid response",
  L7STS: "Layer7 wrong status",
  SOCKERR: "Socket error",
};

const PASSING: ReadonlySet<CheckStatus> = new Set(["L4OK", "L7OK"]);

export interface CheckResult {
  readonly status: CheckStatus;
  /** The HTTP status the server answered, for L7OK and L7STS (HAProxy prints it as `code: N`). */
  readonly httpCode?: number;
  /** HAProxy's `info: "…"`: the system error text (`Connection refused`) or the HTTP reason phrase. */
  readonly info?: string;
  /** From the start of the check to its verdict, in whole milliseconds (HAProxy truncates too). */
  readonly durationMs: number;
}

export function checkPassed(result: CheckResult): boolean {
  return PASSING.has(result.status);
}

export function checkReason(result: CheckResult): string {
  return CHECK_STATUS_DESCRIPTIONS[result.status];
}
