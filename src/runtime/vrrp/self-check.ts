/**
 * `track haproxy` in `halb run`: the data plane tracked is this process's own. Keepalived runs a
 * script that asks whether HAProxy is alive; here, every `interval`, each listener this node has
 * open must accept a TCP connection within `timeout`. A blocked event loop, a listener that died
 * or a process out of file descriptors all fail it. The result feeds the VRRP instance's track
 * (its weight lowers the priority, or no weight means FAULT), counted there with rise/fall.
 */
import { connect } from "node:net";

export interface ListenTarget {
  readonly host: string;
  readonly port: number;
}

export interface SelfCheckOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** The listeners open now (they change with master/backup and reloads). */
  readonly targets: () => readonly ListenTarget[];
  readonly onResult: (ok: boolean) => void;
}

/**
 * Checks at once, then every `intervalMs`; the returned function stops it. A run is skipped while
 * the previous one is unfinished, as Keepalived skips a script still running.
 */
export function startSelfCheck(options: SelfCheckOptions): () => void {
  let running = false;
  let stopped = false;
  const run = (): void => {
    if (running || stopped) return;
    running = true;
    void checkAll(options.targets(), options.timeoutMs).then((ok) => {
      running = false;
      if (!stopped) options.onResult(ok);
    });
  };
  const timer = setInterval(run, options.intervalMs);
  run();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

export async function checkAll(targets: readonly ListenTarget[], timeoutMs: number): Promise<boolean> {
  const results = await Promise.all(targets.map((target) => accepts(target, timeoutMs)));
  return results.every(Boolean);
}

function accepts(target: ListenTarget, timeoutMs: number): Promise<boolean> {
  // A wildcard listener is reached through loopback.
  const host = target.host === "0.0.0.0" ? "127.0.0.1" : target.host === "::" ? "::1" : target.host;
  return new Promise((resolve) => {
    const socket = connect({ host, port: target.port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
