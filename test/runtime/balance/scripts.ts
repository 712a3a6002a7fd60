/**
 * Scripts of client actions played twice: against real HAProxy (the oracle) and against
 * `createBalancer` driven the way the proxy core drives it. Both runs produce a trace of which
 * server took each request; the differential tests compare the traces.
 */
import { createBalancer } from "../../../src/runtime/balance/index.js";
import type { Balance } from "../../../src/ir/types.js";
import { fakeServers, type FakeServer } from "./fake-servers.js";
import type { HaproxyLab, LabBackend, LabRequest } from "./haproxy-lab.js";

export type Step =
  /** `count` short requests, one after the other. */
  | { readonly request: number; readonly client?: LabRequest }
  /** A request the server keeps open until released; queued ("-") if every server is full. */
  | { readonly hold: string }
  /** The held request ends; a request waiting in the backend queue then takes the freed slot. */
  | { readonly release: string }
  /** An admin change, as `set server … state` / `set weight` would make. */
  | { readonly server: string; readonly state?: "ready" | "maint" | "drain"; readonly weight?: number };

export async function traceOnHaproxy(lab: HaproxyLab, backend: LabBackend, steps: readonly Step[]): Promise<string[]> {
  const trace: string[] = [];
  await lab.settle(backend.name);
  for (const step of steps) {
    if ("request" in step) {
      for (let index = 0; index < step.request; index++) {
        trace.push(await lab.request(backend.name, step.client));
        await lab.settle(backend.name);
      }
    } else if ("hold" in step) {
      const server = await lab.hold(backend.name, step.hold);
      trace.push(`${step.hold}:${server ?? "-"}`);
      await lab.settle(backend.name);
    } else if ("release" in step) {
      for (const dequeued of await lab.release(step.release)) trace.push(`${dequeued.token}:${dequeued.server}`);
    } else {
      if (step.state) await lab.admin(`set server ${backend.name}/${step.server} state ${step.state}`);
      if (step.weight !== undefined) await lab.admin(`set weight ${backend.name}/${step.server} ${step.weight}`);
    }
  }
  return trace;
}

export function traceOnModel(backend: LabBackend, steps: readonly Step[]): string[] {
  const servers = fakeServers(
    Object.fromEntries(
      backend.servers.map((server) => [
        server.name,
        {
          weight: server.weight ?? 1,
          backup: server.backup ?? false,
          usable: !server.disabled,
          ...(server.maxconn === undefined ? {} : { maxconn: server.maxconn }),
          ...(server.id === undefined ? {} : { id: server.id }),
        },
      ]),
    ),
  );
  const named = (name: string): FakeServer => {
    const server = servers.find((candidate) => candidate.name === name);
    if (!server) throw new Error(`no server ${name} in ${backend.name}`);
    return server;
  };
  const balancer = createBalancer(backend.balance as Balance, servers, { allBackups: (backend.options ?? []).includes("allbackups") });
  const holding = new Map<string, FakeServer>();
  const backendQueue: string[] = [];
  const trace: string[] = [];
  const start = (server: FakeServer): void => {
    server.currentConnections += 1;
    balancer.connectionStarted(server);
  };
  for (const step of steps) {
    if ("request" in step) {
      for (let index = 0; index < step.request; index++) {
        const outcome = balancer.pick({ ...requestKeys(step.client), backendQueueLength: backendQueue.length });
        if (!outcome.server) throw new Error(`model found no server for a short request (${outcome.reason})`);
        start(outcome.server);
        trace.push(outcome.server.name);
        outcome.server.currentConnections -= 1;
        balancer.connectionEnded(outcome.server);
      }
    } else if ("hold" in step) {
      const outcome = balancer.pick({ ...requestKeys(undefined), backendQueueLength: backendQueue.length });
      if (outcome.server && !outcome.saturated) {
        start(outcome.server);
        holding.set(step.hold, outcome.server);
        trace.push(`${step.hold}:${outcome.server.name}`);
      } else {
        backendQueue.push(step.hold);
        trace.push(`${step.hold}:-`);
      }
    } else if ("release" in step) {
      const server = holding.get(step.release);
      if (!server) throw new Error(`model holds no request ${step.release}`);
      holding.delete(step.release);
      server.currentConnections -= 1;
      balancer.connectionEnded(server);
      // The core's side of the contract: a freed slot goes to the oldest request in the backend queue.
      const waiting = backendQueue.shift();
      if (waiting !== undefined) {
        start(server);
        holding.set(waiting, server);
        trace.push(`${waiting}:${server.name}`);
      }
    } else {
      const server = named(step.server);
      if (step.state) server.usable = step.state === "ready";
      if (step.weight !== undefined) server.weight = step.weight;
      balancer.serverStateChanged(server);
    }
  }
  return trace;
}

/** What HAProxy sees of a lab request: the client address on its listener, and the request-target. */
export function requestKeys(client: LabRequest | undefined): { sourceAddress: string; uri: string } {
  const listener = client?.listener ?? "ipv4";
  const local = client?.localAddress;
  const sourceAddress = listener === "ipv6" ? (local ?? "::1") : listener === "ipv4-mapped" ? `::ffff:${local ?? "127.0.0.1"}` : (local ?? "127.0.0.1");
  return { sourceAddress, uri: client?.path ?? "/" };
}

