/** What an IR reads from the environment, and which of it is secret. */
import type { Ir, IrSecret } from "./types.js";

/** The secrets: the VRRP password and the stats passwords. */
export function irSecrets(ir: Ir): IrSecret[] {
  return [...(ir.cluster.vrrp.auth ? [ir.cluster.vrrp.auth] : []), ...(ir.haproxy.stats?.auth.map((a) => a.password) ?? [])];
}

/**
 * Every environment variable the IR refers to (`{ "env": NAME }` anywhere: secrets, and text that
 * HAProxy expands itself), in the order they appear. Whoever executes the IR needs their values.
 */
export function referencedEnv(ir: Ir): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0]![0] === "env" && typeof entries[0]![1] === "string") names.add(entries[0]![1]);
      else entries.forEach(([, v]) => visit(v));
    }
  };
  visit(ir.cluster);
  visit(ir.haproxy);
  return [...names];
}
