/**
 * The primary process of `halb run` with `threads N`: forks N workers that share the listening
 * sockets (each accepts for itself, as HAProxy's threads do), relays what they tell each other,
 * and turns signals into orders: SIGHUP validates OUT here first, then every worker reloads;
 * SIGTERM/SIGINT stop them gracefully (a second signal stops at once). A worker that dies is
 * replaced, so the node keeps serving.
 */
import cluster, { type Worker } from "node:cluster";
import type { RegistrySnapshot } from "../stats/merge.js";
import type { PrimaryMessage, WorkerMessage } from "./messages.js";

export interface PrimaryOptions {
  readonly count: number;
  readonly graceMs: number;
  /** Loads and checks OUT as a worker would; throws with a clear message when it cannot. */
  readonly validate: () => void;
  readonly say: (line: string) => void;
}

interface Collection {
  readonly requester: Worker;
  /** The requester's own id for its question. */
  readonly requestId: number;
  readonly waiting: Set<Worker>;
  readonly snapshots: RegistrySnapshot[];
}

export function runPrimary(options: PrimaryOptions): Promise<number> {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = new Map<number, Worker>();
  const collections = new Map<number, Collection>();
  let nextCollection = 0;
  let stopping = false;
  let started = false;

  return new Promise<number>((resolve) => {
    const fork = (index: number): void => {
      const worker = cluster.fork({ HALB_WORKER_INDEX: String(index), HALB_WORKER_COUNT: String(options.count) });
      workers.set(index, worker);
      worker.on("message", (message: WorkerMessage) => onMessage(index, worker, message));
      worker.on("exit", (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        for (const [id, collection] of collections) {
          collection.waiting.delete(worker);
          if (collection.waiting.size === 0) finishCollection(id);
        }
        if (stopping) {
          if (workers.size === 0) resolve(0);
          return;
        }
        if (!started) return;
        options.say(`worker ${index} exited (${signal ?? `code ${code}`}); starting another`);
        fork(index);
      });
    };

    const others = (except: Worker): Worker[] => [...workers.values()].filter((worker) => worker !== except);
    const send = (worker: Worker, message: PrimaryMessage): void => {
      if (worker.isConnected()) worker.send(message);
    };
    let ready = 0;
    const reloads: (string | null)[] = [];

    const onMessage = (index: number, worker: Worker, message: WorkerMessage): void => {
      switch (message.t) {
        case "ready":
          ready += 1;
          if (!started && ready === options.count) {
            started = true;
            options.say(`${options.count} workers serving ${message.addresses.join(", ") || "nothing"} (pid ${process.pid})`);
          }
          break;
        case "failed":
          options.say(`error: ${message.message}`);
          if (!started) {
            stopping = true;
            for (const other of workers.values()) other.kill();
            resolve(2);
          }
          break;
        case "event":
          for (const other of others(worker)) send(other, { t: "event", event: message.event });
          break;
        case "collect": {
          const id = nextCollection++;
          const waiting = new Set(others(worker));
          collections.set(id, { requester: worker, requestId: message.id, waiting, snapshots: [] });
          for (const other of waiting) send(other, { t: "snapshot-request", id });
          if (waiting.size === 0) finishCollection(id);
          break;
        }
        case "snapshot": {
          const collection = collections.get(message.id);
          if (!collection) break;
          collection.waiting.delete(worker);
          if (message.snapshot) collection.snapshots.push(message.snapshot);
          if (collection.waiting.size === 0) finishCollection(message.id);
          break;
        }
        case "reloaded":
          reloads.push(message.error);
          if (reloads.length === workers.size) {
            const failed = reloads.filter((error) => error !== null);
            options.say(failed.length === 0 ? "reloaded" : `reload refused by ${failed.length} worker(s), the previous configuration keeps serving there: ${failed[0]}`);
            reloads.length = 0;
          }
          break;
      }
    };

    const finishCollection = (id: number): void => {
      const collection = collections.get(id)!;
      collections.delete(id);
      send(collection.requester, { t: "snapshots", id: collection.requestId, snapshots: collection.snapshots });
    };

    const stop = (signal: string): void => {
      if (stopping) {
        options.say(`${signal} again: stopping now`);
        for (const worker of workers.values()) worker.kill("SIGKILL");
        process.exit(0);
      }
      stopping = true;
      options.say(`${signal}: finishing requests in flight (up to ${options.graceMs / 1000}s), then stopping`);
      for (const worker of workers.values()) send(worker, { t: "stop", graceMs: options.graceMs });
      if (workers.size === 0) resolve(0);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGHUP", () => {
      try {
        options.validate();
      } catch (error) {
        options.say(`reload refused, the previous configuration keeps serving: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      reloads.length = 0;
      for (const worker of workers.values()) send(worker, { t: "reload" });
    });

    for (let index = 0; index < options.count; index++) fork(index);
  });
}
