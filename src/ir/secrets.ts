/** The environment variables an IR reads secrets from, in a stable order. */
import type { Ir, IrSecret } from "./types.js";

export function irSecrets(ir: Ir): IrSecret[] {
  return [...(ir.cluster.vrrp.auth ? [ir.cluster.vrrp.auth] : []), ...(ir.haproxy.stats?.auth.map((a) => a.password) ?? [])];
}

export function referencedSecrets(ir: Ir): string[] {
  return [...new Set(irSecrets(ir).flatMap((s) => ("env" in s ? [s.env] : [])))];
}
