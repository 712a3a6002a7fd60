/**
 * Statistics of several worker processes as one: HAProxy's threads share their counters, halb's
 * workers each count their own traffic, so the page a worker serves adds up every worker's
 * snapshot. Snapshots are plain JSON (they cross process boundaries). Current values, totals and
 * rates add up; maxima (`*max`, `*_max`) take the highest, an approximation (the true peak of the
 * sum lies between the highest and the sum); averages of times weigh each worker by its samples.
 * Server and backend states are not merged: every worker holds the same ones.
 */
import type { StatsRegistry } from "./registry.js";

/** One process's counters, proxy by proxy in registry order. */
export interface RegistrySnapshot {
  /** Which configuration counted: snapshots of another one (a reload in progress) are left out. */
  readonly configuration: string;
  readonly proxies: readonly ProxySnapshot[];
}

interface ProxySnapshot {
  readonly frontend: CounterSnapshot | null;
  readonly backend: CounterSnapshot | null;
  readonly servers: readonly CounterSnapshot[];
}

type CounterSnapshot = Record<string, unknown>;

export function snapshotRegistry(registry: StatsRegistry, configuration: string): RegistrySnapshot {
  return {
    configuration,
    proxies: registry.proxies.map((proxy) => ({
      frontend: proxy.frontend ? plain(proxy.frontend.counters) : null,
      backend: proxy.backend ? plain(proxy.backend.counters) : null,
      servers: proxy.backend ? proxy.backend.servers.map((server) => plain(server.counters)) : [],
    })),
  };
}

/** The registry with each counter object replaced by the sum of its own and the snapshots'. */
export function mergedRegistry(registry: StatsRegistry, others: readonly RegistrySnapshot[], configuration: string): StatsRegistry {
  const usable = others.filter((snapshot) => snapshot.configuration === configuration);
  const merged = registry.proxies.map((proxy, index) => {
    const parts = usable.map((snapshot) => snapshot.proxies[index]);
    const frontend = proxy.frontend && { ...proxy.frontend, counters: sum(proxy.frontend.counters, parts.map((part) => part?.frontend ?? null)) };
    const backend = proxy.backend && {
      ...proxy.backend,
      counters: sum(proxy.backend.counters, parts.map((part) => part?.backend ?? null)),
      servers: proxy.backend.servers.map((server, i) => ({ ...server, counters: sum(server.counters, parts.map((part) => part?.servers[i] ?? null)) })),
    };
    return { ...proxy, frontend, backend };
  });
  return Object.assign(Object.create(Object.getPrototypeOf(registry) as object) as StatsRegistry, registry, { proxies: merged });
}

function plain(counters: object): CounterSnapshot {
  return JSON.parse(JSON.stringify(counters)) as CounterSnapshot;
}

/** A new counter object of the same class holding `own` plus every snapshot. */
function sum<T extends object>(own: T, snapshots: readonly (CounterSnapshot | null)[]): T {
  const total = new (own.constructor as new () => T)();
  absorb(total as Record<string, unknown>, plain(own));
  for (const snapshot of snapshots) if (snapshot) absorb(total as Record<string, unknown>, snapshot);
  return total;
}

function absorb(target: Record<string, unknown>, snapshot: CounterSnapshot): void {
  for (const [key, value] of Object.entries(snapshot)) {
    const current = target[key];
    if (typeof value === "number" && typeof current === "number") {
      target[key] = isPeak(key) ? Math.max(current, value) : current + value;
    } else if (Array.isArray(value) && Array.isArray(current)) {
      value.forEach((n, i) => (current[i] = (current[i] as number) + (n as number)));
    } else if (value !== null && typeof value === "object" && current !== null && typeof current === "object") {
      absorbNested(current as Record<string, unknown>, value as Record<string, unknown>);
    }
  }
}

function isPeak(key: string): boolean {
  return key.endsWith("max") || key === "lastSessionMs";
}

/** FreqCounter (periodStartMs, current, previous) and SlidingAverage (sum, samples). */
function absorbNested(target: Record<string, unknown>, value: Record<string, unknown>): void {
  if ("periodStartMs" in value) {
    const mine = target as { periodStartMs: number; current: number; previous: number };
    const theirs = value as typeof mine;
    if (theirs.periodStartMs > mine.periodStartMs) {
      // Bring this counter to the newer period first, as its own next event would.
      const periods = Math.round((theirs.periodStartMs - mine.periodStartMs) / 1000);
      mine.previous = periods === 1 ? mine.current : 0;
      mine.current = 0;
      mine.periodStartMs = theirs.periodStartMs;
    }
    const lag = Math.round((mine.periodStartMs - theirs.periodStartMs) / 1000);
    if (lag === 0) {
      mine.current += theirs.current;
      mine.previous += theirs.previous;
    } else if (lag === 1) mine.previous += theirs.current;
    return;
  }
  for (const [key, n] of Object.entries(value)) {
    if (typeof n === "number" && typeof target[key] === "number") target[key] = (target[key] as number) + n;
  }
}
