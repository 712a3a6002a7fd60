/**
 * One check connection: open it within the time limits, let the probe talk over it, and turn
 * whatever happens first (the probe's verdict, a socket error, a limit running out) into exactly
 * one CheckResult. The socket never outlives the check.
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { type CheckTimeLimits, connectLimitMs } from "./check-limits.js";
import type { CheckResult } from "./check-status.js";
import { systemErrorText } from "./socket-errors.js";

export interface CheckEndpoint {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
}

/** A check's result before its duration is known. */
export type CheckVerdict = Omit<CheckResult, "durationMs">;

/**
 * Called once the connection is up. It may call `finish` at any time; later calls are ignored, as
 * are verdicts that arrive after a timeout or an error has already decided the check.
 */
export type CheckConversation = (socket: Socket, finish: (verdict: CheckVerdict) => void) => void;

/**
 * Rejects only when `signal` aborts (with its reason): a stopped scheduler has no use for the result.
 * Errors before the connection is made are "Layer4 connection problem", after it "Socket error"
 * (HAProxy reports a reset during an HTTP check so).
 */
export function checkOverSocket(
  endpoint: CheckEndpoint,
  limits: CheckTimeLimits,
  conversation: CheckConversation,
  signal?: AbortSignal,
): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const startedAt = performance.now();
    let connected = false;
    let settled = false;
    const socket = connect({ host: endpoint.address, port: endpoint.port, family: endpoint.family, noDelay: true });

    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // HAProxy closes check connections with a reset; it also spares the checker TIME_WAIT sockets.
      if (connected && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    };
    const finish = (verdict: CheckVerdict): void => {
      if (settled) return;
      settle();
      resolve({ ...verdict, durationMs: Math.floor(performance.now() - startedAt) });
    };
    const onTimeout = (): void => finish({ status: connected ? "L7TOUT" : "L4TOUT" });
    const onAbort = (): void => {
      if (settled) return;
      settle();
      reject(signal?.reason);
    };

    let timer = setTimeout(onTimeout, connectLimitMs(limits));
    signal?.addEventListener("abort", onAbort, { once: true });
    // Stays attached after the verdict: a late reset must not become an unhandled 'error' event.
    socket.on("error", (error) => finish({ status: connected ? "SOCKERR" : "L4CON", info: systemErrorText(error) }));
    socket.once("connect", () => {
      connected = true;
      if (limits.kind === "split") {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, limits.responseMs);
      }
      conversation(socket, finish);
    });
  });
}
