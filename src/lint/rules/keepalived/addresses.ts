/** Address arithmetic the VIP and node rules share (node:net's BlockList does the subnet tests). */
import { inSubnet } from "../../queries.js";

/** `192.168.66.10` → its 32-bit value. The address is valid (the compiler checked it). */
export function ipv4Number(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** The network and broadcast addresses of ADDRESS/PREFIX, as 32-bit values. */
export function ipv4Bounds(address: string, prefix: number): { network: number; broadcast: number } {
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipv4Number(address) / size) * size;
  return { network, broadcast: network + size - 1 };
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
