/**
 * Addresses as .hal writes them: `192.0.2.1`, `192.0.2.1:80`, `192.0.2.10/24`, `[2001:db8::1]:80`,
 * `*:80`, `:80`, and the bind forms `vip:80`, `vip(2):80`, `node:19088`. Validation uses
 * node:net's isIP rather than home-made patterns.
 */
import { isIP } from "node:net";

export interface HostPort {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number | null;
}

/** An IP address alone (IPv6 with or without brackets). */
export function parseIp(text: string): { address: string; family: 4 | 6 } | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const family = isIP(bare);
  if (family === 0) return null;
  return { address: family === 6 ? bare.toLowerCase() : bare, family: family as 4 | 6 };
}

/** `ADDR:PORT`, `[V6]:PORT`, or an address without port (a bare IPv6 address has no port). */
export function parseHostPort(text: string): HostPort | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const ip = parseIp(bracketed[1]!);
    if (!ip || ip.family !== 6) return null;
    return withPort(ip, bracketed[2]);
  }
  const colon = text.lastIndexOf(":");
  // One colon can only be IPv4:PORT (IPv6 has at least two), so skip isIP's costly IPv6 pattern.
  if (colon < 0 || text.indexOf(":") !== colon) {
    const whole = parseIp(text);
    return whole ? { ...whole, port: null } : null;
  }
  const ip = parseIp(text.slice(0, colon));
  if (!ip || ip.family !== 4) return null;
  return withPort(ip, text.slice(colon + 1));
}

function withPort(ip: { address: string; family: 4 | 6 }, portText: string | undefined): HostPort | null {
  if (portText === undefined) return { ...ip, port: null };
  const port = parsePort(portText);
  return port === null ? null : { ...ip, port };
}

export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** `ADDR/PREFIX`; without a prefix, a host route (/32 or /128). */
export function parseCidr(text: string): { address: string; family: 4 | 6; prefix: number } | null {
  const slash = text.indexOf("/");
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { ...ip, prefix } : null;
}

export type BindTarget =
  | { readonly kind: "vip"; readonly vip: number; readonly port: number }
  | { readonly kind: "node"; readonly port: number }
  | { readonly kind: "any"; readonly port: number }
  | { readonly kind: "address"; readonly address: string; readonly family: 4 | 6; readonly port: number };

/** A bind address; `vip` numbers are 1-based as written (`vip` is `vip(1)`). Null when malformed. */
export function parseBind(text: string): BindTarget | null {
  const symbolic = /^(vip(?:\((\d+)\))?|node|\*|)?:(\d+)$/.exec(text);
  if (symbolic) {
    const port = parsePort(symbolic[3]!);
    if (port === null) return null;
    const head = symbolic[1] ?? "";
    if (head === "node") return { kind: "node", port };
    if (head === "*" || head === "") return { kind: "any", port };
    return { kind: "vip", vip: symbolic[2] === undefined ? 1 : Number(symbolic[2]), port };
  }
  const hostPort = parseHostPort(text);
  if (!hostPort || hostPort.port === null) return null;
  return { kind: "address", address: hostPort.address, family: hostPort.family, port: hostPort.port };
}
