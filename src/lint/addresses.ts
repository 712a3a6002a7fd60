/**
 * Address arithmetic rules share: is this the same address, loopback, unspecified, reserved, in
 * that subnet, and where a subnet starts and ends. ipaddr.js parses and compares; node:net's
 * BlockList would too, but builds objects per call that cost seconds over 20,000 servers. The
 * addresses come from the analyzer, already valid (IPv4 dotted-decimal, IPv6 lower-case).
 */
import ipaddr from "ipaddr.js";

const parsedIps = new Map<string, ipaddr.IPv4 | ipaddr.IPv6>();

function parsedIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  let ip = parsedIps.get(address);
  if (!ip) parsedIps.set(address, (ip = ipaddr.parse(address)));
  return ip;
}

/** Whether an address lies in NETWORK/PREFIX (never, across families). */
export function inSubnet(address: string, family: 4 | 6, network: string, prefix: number, networkFamily: 4 | 6): boolean {
  if (family !== networkFamily) return false;
  return parsedIp(address).match(parsedIp(network), prefix);
}

/** Equal addresses, whatever the IPv6 spelling (`2001:db8::1` and `2001:db8:0::1`); never across families. */
export function sameAddress(a: string, aFamily: 4 | 6, b: string, bFamily: 4 | 6): boolean {
  if (aFamily !== bFamily) return false;
  // IPv4 has one spelling (the analyzer accepts no leading zeros): the text decides.
  return aFamily === 4 ? a === b : inSubnet(a, 6, b, 128, 6);
}

/** `127.0.0.0/8` or `::1`. */
export function isLoopback(address: string, family: 4 | 6): boolean {
  return family === 4 ? inSubnet(address, 4, "127.0.0.0", 8, 4) : sameAddress(address, 6, "::1", 6);
}

/** `0.0.0.0` or `::`: every address of the host, like `*`. */
export function isUnspecified(address: string, family: 4 | 6): boolean {
  return family === 4 ? address === "0.0.0.0" : sameAddress(address, 6, "::", 6);
}

/** A VIP written with a prefix shorter than a host route: it names a subnet. */
export function hasSubnet(vip: { readonly prefix: number; readonly family: 4 | 6 }): boolean {
  return vip.prefix < (vip.family === 4 ? 32 : 128);
}

/** The network and broadcast addresses of the IPv4 subnet ADDRESS/PREFIX (`192.168.66.10`, 24 → `192.168.66.0`, `192.168.66.255`). */
export function ipv4Bounds(address: string, prefix: number): { network: string; broadcast: string } {
  const cidr = `${address}/${prefix}`;
  return { network: ipaddr.IPv4.networkAddressFromCIDR(cidr).toString(), broadcast: ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString() };
}

/** Two addresses of one family compared as numbers, as VRRP compares them: negative when `a` is lower, 0 when equal. */
export function compareAddresses(a: string, b: string): number {
  const x = parsedIp(a).toByteArray();
  const y = parsedIp(b).toByteArray();
  const at = x.findIndex((byte, i) => byte !== y[i]);
  return at < 0 ? 0 : x[at]! - y[at]!;
}

/** `10.0.0.5:80`, `[2001:db8::5]:80`: an address and port as .hal and HAProxy write them. */
export function hostPort(address: string, family: 4 | 6, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

interface ReservedBlock {
  readonly network: string;
  readonly prefix: number;
  readonly family: 4 | 6;
  /** What the block is, for messages: "a loopback address". */
  readonly what: string;
}

const RESERVED: readonly ReservedBlock[] = [
  { network: "0.0.0.0", prefix: 32, family: 4, what: "the unspecified address" },
  { network: "0.0.0.0", prefix: 8, family: 4, what: 'in 0.0.0.0/8 ("this network"), which is never a destination' },
  { network: "127.0.0.0", prefix: 8, family: 4, what: "a loopback address (127.0.0.0/8)" },
  { network: "169.254.0.0", prefix: 16, family: 4, what: "an IPv4 link-local address (169.254.0.0/16)" },
  { network: "224.0.0.0", prefix: 4, family: 4, what: "a multicast address (224.0.0.0/4)" },
  { network: "255.255.255.255", prefix: 32, family: 4, what: "the limited broadcast address" },
  { network: "::", prefix: 128, family: 6, what: "the unspecified address" },
  { network: "::1", prefix: 128, family: 6, what: "the loopback address" },
  { network: "ff00::", prefix: 8, family: 6, what: "a multicast address (ff00::/8)" },
];

/** What makes ADDRESS unusable as a VIP or node address, or undefined when it is an ordinary unicast address. */
export function reservedKind(address: string, family: 4 | 6): string | undefined {
  return RESERVED.find((block) => inSubnet(address, family, block.network, block.prefix, block.family))?.what;
}
