/**
 * A worker process of `halb run` with `threads N`: runs a LoadBalancer like the single-process
 * mode, and talks to the primary over the cluster IPC channel (messages.ts).
 */
import { ListenError } from "../listener-set.js";
import { LoadBalancer, type LoadBalancerOptions } from "../load-balancer.js";
import { RunInputError } from "../load-ir.js";
import type { RegistrySnapshot } from "../stats/merge.js";
import type { Peers, PrimaryMessage, WorkerMessage } from "./messages.js";

/** How long the statistics page waits for the other workers' counters. */
const COLLECT_TIMEOUT_MS = 1000;

export async function runWorker(options: Omit<LoadBalancerOptions, "peers">, index: number, count: number): Promise<void> {
  const send = (message: WorkerMessage): void => void process.send?.(message);
  const pending = new Map<number, (snapshots: readonly RegistrySnapshot[]) => void>();
  let nextId = 0;
  const peers: Peers = {
    index,
    count,
    broadcast: (event) => send({ t: "event", event }),
    collectSnapshots: () =>
      new Promise((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve([]);
        }, COLLECT_TIMEOUT_MS);
        pending.set(id, (snapshots) => {
          clearTimeout(timer);
          resolve(snapshots);
        });
        send({ t: "collect", id });
      }),
  };
  let balancer: LoadBalancer;
  try {
    balancer = await LoadBalancer.start({ ...options, peers });
  } catch (error) {
    send({ t: "failed", message: error instanceof RunInputError || error instanceof ListenError ? error.message : String(error) });
    process.exitCode = 2;
    process.disconnect?.();
    return;
  }
  process.on("message", (message: PrimaryMessage) => {
    switch (message.t) {
      case "event":
        balancer.applyPeerEvent(message.event);
        break;
      case "snapshot-request":
        send({ t: "snapshot", id: message.id, snapshot: balancer.snapshot() });
        break;
      case "snapshots":
        pending.get(message.id)?.(message.snapshots);
        pending.delete(message.id);
        break;
      case "reload":
        balancer.reload().then(
          () => send({ t: "reloaded", error: null }),
          (error: unknown) => send({ t: "reloaded", error: error instanceof Error ? error.message : String(error) }),
        );
        break;
      case "master":
        balancer.setMaster(message.master).then(
          () => send({ t: "master-set", error: null }),
          (error: unknown) => send({ t: "master-set", error: error instanceof Error ? error.message : String(error) }),
        );
        break;
      case "stop":
        void balancer.stop(message.graceMs).then(() => process.disconnect?.());
        break;
    }
  });
  // Signals are the primary's to handle: it tells the workers what to do.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => {});
  send({ t: "ready", addresses: balancer.addresses });
}
