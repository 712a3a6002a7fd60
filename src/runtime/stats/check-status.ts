/**
 * Health-check outcomes as HAProxy 2.6 names them on the statistics page (`check_status`,
 * `check_desc`) and labels them in its Prometheus exporter. The order is HAProxy's: the exporter
 * lists the states in this order, and statuses from `L7OK` on carry a response code.
 */

export type CheckStatus =
  | "UNK"
  | "INI"
  | "HANA"
  | "SOCKERR"
  | "L4OK"
  | "L4TOUT"
  | "L4CON"
  | "L6OK"
  | "L6TOUT"
  | "L6RSP"
  | "L7TOUT"
  | "L7RSP"
  | "L7OK"
  | "L7OKC"
  | "L7STS"
  | "PROCERR"
  | "PROCTOUT"
  | "PROCOK";

interface CheckStatusInfo {
  /** The short description shown in `check_desc`. */
  readonly description: string;
  /** `unknown` until a check has completed (UNK, INI); conditional passes count as passed. */
  readonly result: "unknown" | "passed" | "failed";
  /** The status carries a layer 5–7 code (the HTTP status), shown in `check_code`. */
  readonly hasCode: boolean;
}

const INFO: Readonly<Record<CheckStatus, CheckStatusInfo>> = {
  UNK: { description: "Unknown", result: "unknown", hasCode: false },
  INI: { description: "Initializing", result: "unknown", hasCode: false },
  HANA: { description: "Health analyze", result: "failed", hasCode: false },
  SOCKERR: { description: "Socket error", result: "failed", hasCode: false },
  L4OK: { description: "Layer4 check passed", result: "passed", hasCode: false },
  L4TOUT: { description: "Layer4 timeout", result: "failed", hasCode: false },
  L4CON: { description: "Layer4 connection problem", result: "failed", hasCode: false },
  L6OK: { description: "Layer6 check passed", result: "passed", hasCode: false },
  L6TOUT: { description: "Layer6 timeout", result: "failed", hasCode: false },
  L6RSP: { description: "Layer6 invalid response", result: "failed", hasCode: false },
  L7TOUT: { description: "Layer7 timeout", result: "failed", hasCode: false },
  L7RSP: { description: "Layer7 invalid response", result: "failed", hasCode: false },
  L7OK: { description: "Layer7 check passed", result: "passed", hasCode: true },
  L7OKC: { description: "Layer7 check conditionally passed", result: "passed", hasCode: true },
  L7STS: { description: "Layer7 wrong status", result: "failed", hasCode: true },
  PROCERR: { description: "External check error", result: "failed", hasCode: true },
  PROCTOUT: { description: "External check timeout", result: "failed", hasCode: true },
  PROCOK: { description: "External check passed", result: "passed", hasCode: true },
};

/** Every finished status, in HAProxy's order: the `state` label values of `haproxy_server_check_status`. */
export const FINISHED_CHECK_STATUSES: readonly CheckStatus[] = (Object.keys(INFO) as CheckStatus[]).filter((status) => checkStatusFinished(status));

export function checkStatusDescription(status: CheckStatus): string {
  return INFO[status].description;
}

/** A check completed with this status (passed or failed). */
export function checkStatusFinished(status: CheckStatus): boolean {
  return INFO[status].result !== "unknown";
}

export function checkStatusPassed(status: CheckStatus): boolean {
  return INFO[status].result === "passed";
}

export function checkStatusHasCode(status: CheckStatus): boolean {
  return INFO[status].hasCode;
}
