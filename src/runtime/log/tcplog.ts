/**
 * One line per TCP connection in HAProxy 2.6's `option tcplog` format (configuration.txt §8.2.2):
 *
 *   %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq
 *   127.0.0.1:60020 [25/Nov/2026:02:19:00.729] tc tc/t1 1/0/1 185 -- 1/1/0/0/0 0/0
 */
import { formatLogDate } from "./log-date.js";
import { loadFields, loadJson, logClientAddress, orMinusOne, type LoadFacts } from "./log-line.js";
import { tcpTerminationText, type TerminationState } from "./termination.js";

/** In milliseconds; null when the stage was not reached (printed `-1`). */
export interface TcpTimers {
  /** `Tw`: in queues. */
  readonly queue: number | null;
  /** `Tc`: establishing the connection to the server. */
  readonly connect: number | null;
  /** `Tt`: from the accept to the close. */
  readonly total: number;
}

export interface TcpLogRecord extends LoadFacts {
  readonly clientAddress: string;
  readonly clientPort: number;
  /** `%t`: when the connection was accepted (Date.now() style). */
  readonly acceptDate: number;
  readonly frontend: string;
  readonly backend: string;
  /** The server's name, or `<NOSRV>` (NO_SERVER in httplog.ts) when none was reached. */
  readonly server: string;
  readonly timers: TcpTimers;
  /** `%B`: bytes sent to the client. */
  readonly bytesSent: number;
  readonly termination: TerminationState;
}

export function formatTcpLog(record: TcpLogRecord): string {
  const { timers } = record;
  return [
    `${logClientAddress(record.clientAddress)}:${record.clientPort}`,
    `[${formatLogDate(record.acceptDate)}]`,
    record.frontend,
    `${record.backend}/${record.server}`,
    [timers.queue, timers.connect, timers.total].map(orMinusOne).join("/"),
    String(record.bytesSent),
    tcpTerminationText(record.termination),
    ...loadFields(record),
  ].join(" ");
}

/** The same facts as one JSON object (no newline); missing timers are null, the date ISO 8601. */
export function formatTcpLogJson(record: TcpLogRecord): string {
  const { timers } = record;
  return JSON.stringify({
    client_ip: logClientAddress(record.clientAddress),
    client_port: record.clientPort,
    accept_date: new Date(record.acceptDate).toISOString(),
    frontend_name: record.frontend,
    backend_name: record.backend,
    server_name: record.server,
    time_queue: timers.queue,
    time_connect: timers.connect,
    time_total: timers.total,
    bytes_sent: record.bytesSent,
    termination_state: tcpTerminationText(record.termination),
    ...loadJson(record),
  });
}
