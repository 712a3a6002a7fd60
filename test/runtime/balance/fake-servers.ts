/**
 * Test doubles for the balancer's ServerView: plain mutable objects, as the proxy core's would be,
 * plus helpers that drive a balancer the way the core does for short `Connection: close` requests.
 */
import type { Balancer, BalanceRequest, ServerView } from "../../../src/runtime/balance/index.js";

export interface FakeServer extends ServerView {
  name: string;
  id: number;
  weight: number;
  backup: boolean;
  usable: boolean;
  currentConnections: number;
  queuedRequests: number;
  maxconn: number | undefined;
}

export interface FakeServerSpec {
  readonly weight?: number;
  readonly backup?: boolean;
  readonly usable?: boolean;
  readonly maxconn?: number;
  readonly id?: number;
}

/** Servers named by the keys, in that order, with ids 1, 2, 3… unless given. */
export function fakeServers(specs: Record<string, FakeServerSpec>): FakeServer[] {
  return Object.entries(specs).map(([name, spec], index) => ({
    name,
    id: spec.id ?? index + 1,
    weight: spec.weight ?? 1,
    backup: spec.backup ?? false,
    usable: spec.usable ?? true,
    currentConnections: 0,
    queuedRequests: 0,
    maxconn: spec.maxconn,
  }));
}

export const anyRequest: BalanceRequest<FakeServer> = { sourceAddress: "127.0.0.1", uri: "/" };

/** Picks `count` times, each request finishing before the next starts; returns the names ("-" for none). */
export function pickSequence(balancer: Balancer<FakeServer>, count: number, request: BalanceRequest<FakeServer> = anyRequest): string[] {
  const names: string[] = [];
  for (let index = 0; index < count; index++) names.push(pickAndFinish(balancer, request));
  return names;
}

export function pickAndFinish(balancer: Balancer<FakeServer>, request: BalanceRequest<FakeServer> = anyRequest): string {
  const outcome = balancer.pick(request);
  if (!outcome.server) return "-";
  const server = outcome.server;
  server.currentConnections += 1;
  balancer.connectionStarted(server);
  server.currentConnections -= 1;
  balancer.connectionEnded(server);
  return server.name;
}

/** Picks and keeps the connection open; returns the server or null. */
export function pickAndHold(balancer: Balancer<FakeServer>, request: BalanceRequest<FakeServer> = anyRequest): FakeServer | null {
  const outcome = balancer.pick(request);
  if (!outcome.server) return null;
  outcome.server.currentConnections += 1;
  balancer.connectionStarted(outcome.server);
  return outcome.server;
}

export function finish(balancer: Balancer<FakeServer>, server: FakeServer): void {
  server.currentConnections -= 1;
  balancer.connectionEnded(server);
}

/** Changes a server and tells the balancer, as the core does after a health or admin change. */
export function change(balancer: Balancer<FakeServer>, server: FakeServer, update: Partial<Pick<FakeServer, "usable" | "weight">>): void {
  Object.assign(server, update);
  balancer.serverStateChanged(server);
}
