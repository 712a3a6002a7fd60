/**
 * The primary process of `halb run` with `threads N`: forks N workers that share the listening
 * sockets (each accepts for itself, as HAProxy's threads do), relays what they tell each other,
 * and turns signals into orders: SIGHUP validates OUT here first, then every worker reloads;
 * SIGTERM/SIGINT stop them gracefully (a second signal stops at once). A worker that dies is
 * replaced, so the node keeps serving.
 */
import cluster, { type Worker } from "node:cluster";
import type { Ir } from "../../ir/types.js";
import { listenAddress } from "../listen-addresses.js";
import { nodeNamed } from "../load-ir.js";
import type { Environment } from "../proxy/settings.js";
import type { RegistrySnapshot } from "../stats/merge.js";
import { startVrrpNode, type VrrpWire } from "../vrrp/start.js";
import type { MasterSwitch, VrrpNode } from "../vrrp/vrrp-node.js";
import type { PrimaryMessage, WorkerMessage } from "./messages.js";

export interface PrimaryOptions {
  readonly count: number;
  readonly graceMs: number;
  /** Loads and checks OUT as a worker would; throws with a clear message when it cannot. */
  readonly validate: () => Ir;
  readonly say: (line: string) => void;
  readonly nodeName: string;
  /** VRRP runs here, once for the node, switching every worker's VIP listeners; null with --master. */
  readonly vrrp: { readonly udpPort: number; readonly wire: VrrpWire; readonly env: Environment; readonly log: (line: string) => void } | null;
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
  let vrrp: VrrpNode | null = null;
  /** The configuration last validated here (at start, and at each accepted SIGHUP). */
  let ir: Ir | null = null;
  let master = false;
  /** Workers yet to confirm the last master/backup switch, and who waits for them. */
  let switching: { readonly waiting: Set<Worker>; readonly done: () => void; readonly errors: string[] } | null = null;

  return new Promise<number>((resolve) => {
    const fork = (index: number): void => {
      const worker = cluster.fork({ HALB_WORKER_INDEX: String(index), HALB_WORKER_COUNT: String(options.count) });
      workers.set(index, worker);
      worker.on("message", (message: WorkerMessage) => onMessage(index, worker, message));
      worker.on("exit", (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        if (switching?.waiting.delete(worker) && switching.waiting.size === 0) switching.done();
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
          if (started) {
            // A replacement worker: it must serve the VIPs if this node is master.
            if (master) send(worker, { t: "master", master: true });
          } else if (ready === options.count) {
            started = true;
            void startVrrp().then(() => {
              const role = vrrp ? ` (VRRP over ${vrrp.wire})` : "";
              options.say(`${options.count} workers${role} serving ${message.addresses.join(", ") || "nothing"} (pid ${process.pid})`);
            });
          }
          break;
        case "master-set":
          if (message.error) switching?.errors.push(message.error);
          switching?.waiting.delete(worker);
          if (switching && switching.waiting.size === 0) switching.done();
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

    /** Every worker opens or closes its VIP listeners; resolves when all have. */
    const masterSwitch: MasterSwitch = {
      setMaster: (next) =>
        new Promise<void>((resolve, reject) => {
          master = next;
          const waiting = new Set(workers.values());
          const errors: string[] = [];
          const done = (): void => {
            switching = null;
            if (errors.length > 0) reject(new Error(errors[0]));
            else resolve();
          };
          switching = { waiting, done, errors };
          for (const worker of waiting) send(worker, { t: "master", master: next });
          if (waiting.size === 0) done();
        }),
      openAddresses: () => {
        if (!ir) return [];
        const node = nodeNamed(ir, options.nodeName);
        const { haproxy } = ir;
        const binds = [...haproxy.frontends, ...haproxy.listens].flatMap((proxy) => proxy.binds).concat(haproxy.stats?.binds ?? []);
        return binds.map((bind) => listenAddress(bind, node)).filter((address) => master || !address.onVip);
      },
    };

    const startVrrp = async (): Promise<void> => {
      if (!options.vrrp) return;
      try {
        ir = options.validate();
        vrrp = await startVrrpNode({ ir, nodeName: options.nodeName, balancer: masterSwitch, ...options.vrrp });
      } catch (error) {
        options.say(`error: ${error instanceof Error ? error.message : String(error)}`);
        stopping = true;
        for (const worker of workers.values()) worker.kill();
        resolve(2);
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
      // Priority 0 first, so the backup takes the VIPs at once.
      void (vrrp?.stop() ?? Promise.resolve()).then(() => {
        for (const worker of workers.values()) send(worker, { t: "stop", graceMs: options.graceMs });
        if (workers.size === 0) resolve(0);
      });
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGHUP", () => {
      try {
        ir = options.validate();
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
