/**
 * What to do after a failed connection attempt, as HAProxy 2.6 decides it (runtime-semantics
 * §1.10): `retries` more attempts; each goes to another server when `option redispatch` says so
 * (stream_choose_redispatch, default interval), else to the same server after a pause.
 */
import type { BackendRuntime } from "./backend-runtime.js";
import type { LiveServer } from "./live-server.js";
import type { ConnectFailure } from "./server-connection.js";

/** Retrying the same server waits min(timeout connect, 1 s) after an error (src/backend.c turn-around timer). */
const RETRY_DELAY_MAX_MS = 1000;

/** The algorithms of kind "round robin" (backend-t.h BE_LB_KIND_RR): a retry there always moves on. */
const ROUND_ROBIN_KIND: ReadonlySet<string> = new Set(["roundrobin", "static-rr", "random"]);

export type RetryDecision = { readonly kind: "give-up" } | { readonly kind: "redispatch" } | { readonly kind: "same-server"; readonly delayMs: number };

/** `retriesDone` counts the retries already made before this failure. */
export function afterConnectFailure(backend: BackendRuntime, server: LiveServer, failure: ConnectFailure, retriesDone: number, cookiePinned: boolean): RetryDecision {
  const { retries, options, timeouts } = backend.settings;
  if (retriesDone >= retries) return { kind: "give-up" };
  const done = retriesDone + 1;
  if (options.has("redispatch")) {
    const lastRetry = done % retries === 0;
    const spread = !cookiePinned && backend.usableActiveServers > 1 && ROUND_ROBIN_KIND.has(backend.balanceKind);
    if (!server.running || lastRetry || spread) return { kind: "redispatch" };
  }
  // A connect timeout already waited; a refusal waits before knocking again.
  const delayMs = failure.kind === "timeout" ? 0 : Math.min(timeouts.connect || RETRY_DELAY_MAX_MS, RETRY_DELAY_MAX_MS);
  return { kind: "same-server", delayMs };
}

/**
 * Books a retry the exchange or session is about to make: `wretr` on the backend and the server,
 * and when it redispatches `wredis` too, the server's slot going back to the backend.
 */
export function takeRetry(backend: BackendRuntime, server: LiveServer, decision: Exclude<RetryDecision, { kind: "give-up" }>): void {
  backend.count("wretr", server);
  if (decision.kind !== "redispatch") return;
  backend.count("wredis", server);
  backend.release(server);
}
