/**
 * The session state at disconnection (HAProxy configuration.txt §8.5): `----`, `sC--`, `SH--`,
 * `cD--`… The first character says what ended the session, the second in which phase; HTTP logs
 * add two for the persistence cookie (`--` when no cookie is configured), TCP logs stop at two.
 */

/**
 * C client aborted, S server aborted or refused, P proxy (deny, error), L served locally (stats),
 * R resource limit, I internal error, D server went down, U server came back up, K killed by
 * the admin, c client-side timeout, s server-side timeout, - normal end.
 */
export type TerminationCause = "-" | "C" | "S" | "P" | "L" | "R" | "I" | "D" | "U" | "K" | "c" | "s";

/**
 * R waiting for the request, Q in a queue, C connecting to the server, H waiting for the response
 * headers, D transferring data, L sending the last data, T tarpitted, - normal end.
 */
export type SessionPhase = "-" | "R" | "Q" | "C" | "H" | "D" | "L" | "T";

/** The persistence cookie the client sent: N none, I invalid, D for a DOWN server, V valid, E expired, O old. */
export type RequestCookieState = "-" | "N" | "I" | "D" | "V" | "E" | "O";

/** What happened to it in the response: N none, I inserted, U updated, P provided by the server, R rewritten, D deleted. */
export type ResponseCookieState = "-" | "N" | "I" | "U" | "P" | "R" | "D";

export interface TerminationState {
  readonly cause: TerminationCause;
  readonly phase: SessionPhase;
  /** Left out: `-` (no persistence cookie configured). */
  readonly requestCookie?: RequestCookieState;
  readonly responseCookie?: ResponseCookieState;
}

/** The normal end of a session. */
export const NORMAL_TERMINATION: TerminationState = { cause: "-", phase: "-" };

/** `%tsc`: four characters. */
export function httpTerminationText(state: TerminationState): string {
  return `${state.cause}${state.phase}${state.requestCookie ?? "-"}${state.responseCookie ?? "-"}`;
}

/** `%ts`: two characters. */
export function tcpTerminationText(state: TerminationState): string {
  return `${state.cause}${state.phase}`;
}
