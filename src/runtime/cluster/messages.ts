/**
 * What `halb run`'s processes tell each other when the spec asks for `threads N`: N worker
 * processes serve (sharing the listening sockets), the primary only relays. Workers share server
 * state (check results from the one worker that runs the checks, admin actions from whichever
 * served the page) and, for the statistics page, their counters.
 */
import type { AdminAction } from "../stats/index.js";
import type { RegistrySnapshot } from "../stats/merge.js";
import type { CheckResult } from "../health/index.js";

/** A change of server state one worker made that every other worker applies too. */
export type PeerEvent =
  | { readonly kind: "check"; readonly proxy: string; readonly server: string; readonly result: CheckResult; readonly health: number }
  | { readonly kind: "admin"; readonly backend: string; readonly server: string; readonly action: AdminAction };

export type WorkerMessage =
  | { readonly t: "ready"; readonly addresses: readonly string[] }
  | { readonly t: "failed"; readonly message: string }
  | { readonly t: "event"; readonly event: PeerEvent }
  | { readonly t: "collect"; readonly id: number }
  | { readonly t: "snapshot"; readonly id: number; readonly snapshot: RegistrySnapshot | null }
  | { readonly t: "reloaded"; readonly error: string | null }
  | { readonly t: "master-set"; readonly error: string | null };

export type PrimaryMessage =
  | { readonly t: "event"; readonly event: PeerEvent }
  | { readonly t: "snapshot-request"; readonly id: number }
  | { readonly t: "snapshots"; readonly id: number; readonly snapshots: readonly RegistrySnapshot[] }
  | { readonly t: "reload" }
  | { readonly t: "master"; readonly master: boolean }
  | { readonly t: "stop"; readonly graceMs: number };

/** This process's place among the workers, and how it reaches the others. */
export interface Peers {
  readonly index: number;
  readonly count: number;
  /** Tells every other worker about a state change made here. */
  broadcast(event: PeerEvent): void;
  /** The other workers' counters, for the statistics page (those that answer within a moment). */
  collectSnapshots(): Promise<readonly RegistrySnapshot[]>;
}
