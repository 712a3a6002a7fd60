/**
 * The lines HAProxy 2.6 logs about health, word for word (src/server.c `srv_append_status`,
 * src/check.c `set_server_check_status`, src/proxy.c), checked against 2.6.12's output:
 *
 *   Server be/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 *   Backup Server be/s2 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 1 backup servers online. 0 sessions requeued, 0 total in queue.
 *   backend be has no server available!
 *
 * With `option log-health-checks`, every check that changes the health or the status gets its own
 * line and the state change line leaves the check out:
 *
 *   Health check for server be/s1 failed, reason: Layer7 timeout, check duration: 1001ms, status: 0/2 DOWN.
 *   Server be/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 */
import { checkPassed, checkReason, type CheckResult } from "./check-status.js";
import type { CheckedState, CheckReport, CheckedTarget, StateChangeDetails } from "./scheduler.js";
import type { HealthTarget } from "./targets.js";

/** The syslog severity HAProxy sends each line with. */
export type HealthLogSeverity = "emerg" | "alert" | "notice";

export interface HealthLogLine {
  readonly severity: HealthLogSeverity;
  readonly text: string;
}

/** What only the proxy core knows about the server's traffic when its state changes; 0 when left out. */
export interface ServerTrafficFacts {
  /** Connections the server is serving (HAProxy's `cur_sess`). */
  readonly sessionsActive?: number;
  /** Requests moved off its queue to other servers (going DOWN) or taken from the backend queue (coming UP). */
  readonly requeued?: number;
  /** Requests left waiting in its own queue. */
  readonly queued?: number;
}

export interface StateChangeLogOptions {
  /** `option log-health-checks` is in force for the server's proxy. */
  readonly logHealthChecks?: boolean;
  readonly traffic?: ServerTrafficFacts;
}

/**
 * The lines for one state change: the server's line, then `backend X has no server available!`
 * when it was the proxy's last usable server.
 */
export function stateChangeLines(server: CheckedTarget, to: CheckedState, details: StateChangeDetails, options: StateChangeLogOptions = {}): HealthLogLine[] {
  const traffic = options.traffic ?? {};
  const requeued = traffic.requeued ?? 0;
  const queued = traffic.queued ?? 0;
  const checkPart = options.logHealthChecks ? "" : checkDescription(details.check);
  const counts = `${details.activeServers} active and ${details.backupServers} backup servers`;
  const onBackup = details.activeServers === 0 && details.backupServers > 0 ? " Running on backup." : "";
  const subject = `${server.backup ? "Backup " : ""}Server ${server.proxy}/${server.server} is ${to}`;
  if (to === "UP") {
    const text = `${subject}${checkPart}. ${counts} online.${onBackup} ${requeued} sessions requeued, ${queued} total in queue.`;
    return [{ severity: "notice", text }];
  }
  const text = `${subject}${checkPart}. ${counts} left.${onBackup} ${traffic.sessionsActive ?? 0} sessions active, ${requeued} requeued, ${queued} remaining in queue.`;
  const lines: HealthLogLine[] = [{ severity: "alert", text }];
  if (details.activeServers === 0 && details.backupServers === 0) lines.push(noServerAvailableLine(server));
  return lines;
}

/** `backend be has no server available!` (`proxy tc …` for a listen section). */
export function noServerAvailableLine(server: HealthTarget): HealthLogLine {
  return { severity: "emerg", text: `${server.proxyKind === "listen" ? "proxy" : "backend"} ${server.proxy} has no server available!` };
}

/**
 * `option log-health-checks`: the line for one check, or null when HAProxy stays silent (the
 * health did not move and the status is the same as the previous check's).
 */
export function healthCheckLine(server: CheckedTarget, report: CheckReport): HealthLogLine | null {
  const { result, previous, before, after } = report;
  if (previous !== null && previous.status === result.status && before.health === after.health) return null;
  const up = after.health >= after.rise;
  const progress = up ? `${after.health - after.rise + 1}/${after.fall} ${server.weight === 0 ? "DRAIN" : "UP"}` : `${after.health}/${after.rise} DOWN`;
  const verdict = checkPassed(result) ? "succeeded" : "failed";
  const text = `Health check for ${server.backup ? "backup " : ""}server ${server.proxy}/${server.server} ${verdict}${checkDescription(result)}, status: ${progress}.`;
  return { severity: "notice", text };
}

/** `, reason: …[, code: N][, info: "…"], check duration: Nms` */
function checkDescription(result: CheckResult): string {
  const code = result.httpCode === undefined ? "" : `, code: ${result.httpCode}`;
  const info = result.info === undefined || result.info === "" ? "" : `, info: "${result.info}"`;
  return `, reason: ${checkReason(result)}${code}${info}, check duration: ${result.durationMs}ms`;
}
