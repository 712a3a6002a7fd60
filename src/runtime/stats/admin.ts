/**
 * The admin form of HAProxy 2.6's statistics page (`stats admin if TRUE`): a POST with
 * `s=<server>` (repeated), `action=<action>` and `b=<backend>` (a name, or `#<proxy id>` as the
 * page itself sends), in that order. HAProxy reads the fields from the last to the first, so the
 * last `b` and the last `action` count, and answers with a redirect whose `;st=` tells the outcome:
 * DONE (every named server changed), PART (some), ERRP (none, or a bad backend or action),
 * NONE (nothing to do).
 */
import type { StatsBackend, StatsProxy, StatsRegistry, StatsServer } from "./registry.js";
import type { AdminStatusCode } from "./request-options.js";
import type { ServerStatus } from "./server-status.js";

/**
 * What a server can be told to do. The page offers the first nine; `enable`/`disable` (leave /
 * enter maintenance) and `start`/`stop` (leave / enter drain) are the older names HAProxy still
 * accepts. The agent actions are accepted and change nothing: halb has no agent checks.
 */
export const ADMIN_ACTIONS = [
  "ready",
  "drain",
  "maint",
  "dhlth",
  "ehlth",
  "hrunn",
  "hnolb",
  "hdown",
  "shutdown",
  "dagent",
  "eagent",
  "arunn",
  "adown",
  "enable",
  "disable",
  "start",
  "stop",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** A form that names a backend and an action; `servers` as named, in form order, null where unknown. */
export interface AdminCommand {
  readonly proxy: StatsProxy;
  readonly backend: StatsBackend;
  readonly action: AdminAction;
  readonly servers: readonly (StatsServer | null)[];
}

export type AdminForm = { readonly ok: true; readonly command: AdminCommand | null } | { readonly ok: false; readonly status: "ERRP" };

/** Reads the form body. `command` is null when the backend or the action is missing (outcome NONE). */
export function parseAdminForm(body: string, registry: StatsRegistry): AdminForm {
  const fields = [...new URLSearchParams(body)];
  let proxy: StatsProxy | null = null;
  let action: AdminAction | null = null;
  const serverNames: string[] = [];
  for (const [key, value] of fields.reverse()) {
    if (key === "b" && proxy === null) {
      proxy = findBackendProxy(registry, value);
      if (proxy === null) return { ok: false, status: "ERRP" };
    } else if (key === "action" && action === null) {
      action = (ADMIN_ACTIONS as readonly string[]).includes(value) ? (value as AdminAction) : null;
      if (action === null) return { ok: false, status: "ERRP" };
    } else if (key === "s") {
      serverNames.unshift(value);
    }
  }
  if (proxy === null || proxy.backend === null || action === null) return { ok: true, command: null };
  const backend = proxy.backend;
  const servers = serverNames.map((name) => backend.servers.find((server) => server.name === name) ?? null);
  return { ok: true, command: { proxy, backend, action, servers } };
}

/** `#<id>` names a proxy by its number, anything else by its name; only proxies with servers' side count. */
function findBackendProxy(registry: StatsRegistry, reference: string): StatsProxy | null {
  const byId = /^#(\d+)$/.exec(reference);
  const proxy = byId ? registry.proxies.find((candidate) => candidate.iid === Number(byId[1])) : registry.proxies.find((candidate) => candidate.name === reference);
  return proxy?.backend ? proxy : null;
}

/**
 * Applies one action to one server's status, as HAProxy's page does, and says whether the
 * server counts as changed. `shutdown` changes no status: the caller closes the server's
 * sessions. The checks and agent actions only count where there is something to act on.
 */
export function applyAdminAction(action: AdminAction, status: ServerStatus, nowMs: number): boolean {
  switch (action) {
    case "ready":
      status.setAdminState({ maintenance: false, drain: false }, nowMs);
      return true;
    case "drain":
      status.setAdminState({ maintenance: false, drain: true }, nowMs);
      return true;
    case "maint":
      status.setAdminState({ maintenance: true, drain: false }, nowMs);
      return true;
    case "enable":
      if (!status.maintenance) return false;
      status.setMaintenance(false, nowMs);
      return true;
    case "disable":
      if (status.maintenance) return false;
      status.setMaintenance(true, nowMs);
      return true;
    case "start":
      if (!status.drain) return false;
      status.setDrain(false, nowMs);
      return true;
    case "stop":
      if (status.drain) return false;
      status.setDrain(true, nowMs);
      return true;
    case "dhlth":
    case "ehlth":
      if (status.check === null) return false;
      status.setCheckEnabled(action === "ehlth");
      return true;
    case "hrunn":
      status.forceHealth("running", nowMs);
      return true;
    case "hnolb":
      status.forceHealth("stopping", nowMs);
      return true;
    case "hdown":
      status.forceHealth("stopped", nowMs);
      return true;
    case "shutdown":
      return true;
    case "dagent":
    case "eagent":
    case "arunn":
    case "adown":
      return false;
  }
}

/**
 * HAProxy's verdict. `named` counts the servers that changed plus the names it did not find; a
 * known server the action left as it was (say `enable` on a server not in maintenance) counts in
 * neither, so a form that changes nothing at all is NONE.
 */
export function adminOutcome(named: number, changed: number): AdminStatusCode {
  if (named === 0) return "NONE";
  if (changed === 0) return "ERRP";
  return changed === named ? "DONE" : "PART";
}
