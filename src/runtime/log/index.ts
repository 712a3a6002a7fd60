/** Request log lines for `halb run`: what the proxy core imports. */
export { formatHttpLog, formatHttpLogJson, type HttpLogRecord, type HttpTimers, NO_SERVER, STATS_SERVER, encodeRequestLine } from "./httplog.js";
export { formatLogDate } from "./log-date.js";
export { type ConnectionCounts, DEFAULT_LOG_LINE_LENGTH, fitLogLine, type QueueDepths } from "./log-line.js";
export { formatTcpLog, formatTcpLogJson, type TcpLogRecord, type TcpTimers } from "./tcplog.js";
export {
  httpTerminationText,
  NORMAL_TERMINATION,
  type RequestCookieState,
  type ResponseCookieState,
  type SessionPhase,
  tcpTerminationText,
  type TerminationCause,
  type TerminationState,
} from "./termination.js";
