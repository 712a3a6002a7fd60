/**
 * `balance source` and `balance uri` with HAProxy's defaults: map-based (not consistent) hashing,
 * sdbm for the URI, no avalanche, server = `map[hash % Σweight]` over the same map as static-rr.
 * The hashed server is returned even when it is full: HAProxy then queues the request on that
 * server (the result's `saturated` flag tells the core). With a single usable server nothing is
 * hashed (hash 0).
 */
import ipaddr from "ipaddr.js";
import { commit, type LbAlgorithm, type RequestKeys, type Selection } from "./algorithm.js";
import { sdbmHash } from "./hash-functions.js";
import type { BackendWeights, LbServer, NextLbState } from "./lb-server.js";
import { ServerMap } from "./server-map.js";
import type { ServerView } from "./server-view.js";

export type HashInput = "source" | "uri";

export class MapHash<S extends ServerView> implements LbAlgorithm<S> {
  constructor(
    private readonly input: HashInput,
    private readonly map: ServerMap<S>,
  ) {}

  effectiveWeight(userWeight: number): number {
    return this.map.effectiveWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.map.weights();
  }

  select(request: RequestKeys, avoid: LbServer<S> | undefined): Selection<S> {
    const singleServer = this.map.weights().totalUsed === 1;
    if (this.input === "source") {
      const hash = sourceHash(request.sourceAddress);
      if (hash === null) return "no-source-address";
      return this.map.atHash(singleServer ? 0 : hash) ?? "full";
    }
    // No URI to hash (TCP mode): HAProxy falls back to round-robin on the map.
    if (request.uri === undefined) return this.map.nextInRotation(avoid) ?? "full";
    return this.map.atHash(singleServer ? 0 : uriHash(request.uri)) ?? "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    commit(server, next);
    this.map.refresh();
  }

  loadChanged(): void {
    // Hashing ignores load.
  }
}

/**
 * get_server_sh: an IPv4 address as its 32-bit number; an IPv6 address (v4-mapped ones too) as the
 * XOR of its four 32-bit words. Null when the text is not an IP address.
 */
export function sourceHash(address: string): number | null {
  let bytes: number[];
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) bytes = ipaddr.IPv4.parse(address).toByteArray();
  else if (ipaddr.IPv6.isValid(address)) bytes = ipaddr.IPv6.parse(address).toByteArray();
  else return null;
  let hash = 0;
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    const word = (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
    hash = (hash ^ word) >>> 0;
  }
  return hash;
}

/** get_server_uh with no `whole`, `len` or `depth`: sdbm of the request-target up to the first `?`. */
export function uriHash(uri: string): number {
  const query = uri.indexOf("?");
  const hashed = query < 0 ? uri : uri.slice(0, query);
  return sdbmHash(requestTargetBytes(hashed));
}

/** One byte per character as Node hands the request line over; anything wider is sent as UTF-8. */
function requestTargetBytes(text: string): Uint8Array {
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
}
