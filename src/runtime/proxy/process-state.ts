/** What the whole `halb run` process shares: the connection count HAProxy logs as `%ac`, and where lines go. */
export interface RequestLogSink {
  /** One request or connection line (already formatted, no newline). */
  request(line: string): void;
  /** A line about the process or a server (state changes, start, reload). */
  event(line: string): void;
}

export class ProcessState {
  /** Client connections open now, every frontend together (HAProxy's `actconn`). */
  activeConnections = 0;

  constructor(
    readonly log: RequestLogSink,
    /** Log lines as JSON objects instead of HAProxy's text. */
    readonly jsonLogs: boolean,
  ) {}
}
