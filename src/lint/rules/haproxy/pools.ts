/** What several pool rules say of a proxy: which servers take traffic, and what happens when none can. */
import type { ModelServer } from "../../../analyze/model.js";
import type { PoolPair, ProxyPair } from "../../queries.js";

/** What HAProxy does with traffic nobody can serve, in this proxy's mode. */
export function refusal(proxy: ProxyPair): string {
  return proxy.ir.mode === "http" ? "every request gets a 503" : "every connection is closed at once";
}

/** Servers that take traffic by load balancing: not `disabled`, weight above 0. */
export function usableServers(pool: PoolPair): ModelServer[] {
  return pool.model.servers.filter((s) => !s.disabled && s.weight > 0);
}
