/**
 * VRRPv2 on the wire, as Keepalived sends it: IP protocol 112 from a raw socket, with the IP
 * header built here (TOS 0xC0, TTL 255, the node's address as source) and sent to 224.0.0.18 or
 * to each unicast peer. This is what lets a `halb run` node and a Keepalived node form a pair.
 * Needs CAP_NET_RAW (root) and the raw-socket addon (an optional dependency built by node-gyp);
 * openRawTransport says clearly when either is missing.
 */
import { createRequire } from "node:module";
import { buildIpv4Header, decodeAdvert, ipv4Bytes, parseIpv4Header, VRRP_MULTICAST_GROUP, VRRP_PROTOCOL } from "./packet.js";
import type { VrrpTransport } from "./transport.js";

/** The part of raw-socket this uses. */
interface RawSocket {
  on(event: "message", listener: (buffer: Buffer, source: string) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  send(buffer: Buffer, offset: number, length: number, address: string, after: (error: Error | null) => void): void;
  setOption(level: number, option: number, value: number | Buffer, length?: number): void;
  close(): void;
}

interface RawSocketModule {
  createSocket(options: { protocol: number; bufferSize?: number }): RawSocket;
}

// Linux socket option numbers (raw-socket passes any number to setsockopt).
const SOL_SOCKET = 1;
const SO_BINDTODEVICE = 25;
const IPPROTO_IP = 0;
const IP_HDRINCL = 3;
const IP_MULTICAST_IF = 32;
const IP_MULTICAST_LOOP = 34;
const IP_ADD_MEMBERSHIP = 35;
const IP_MULTICAST_ALL = 49;

export class RawTransportUnavailable extends Error {}

export interface RawTransportOptions {
  readonly ownAddress: string;
  readonly interface: string;
  /** Empty: multicast to 224.0.0.18 on the interface. */
  readonly unicastPeers: readonly string[];
}

/** Loads the addon; null when it is not installed or not built. */
function loadRawSocket(): RawSocketModule | null {
  try {
    return createRequire(import.meta.url)("raw-socket") as RawSocketModule;
  } catch {
    return null;
  }
}

export function openRawTransport(options: RawTransportOptions): VrrpTransport {
  if (options.ownAddress.includes(":")) throw new RawTransportUnavailable("VRRP on the wire is IPv4 only here (VRRPv2)");
  const raw = loadRawSocket();
  if (!raw) throw new RawTransportUnavailable("the raw-socket addon is not installed or was not built (npm ci with build tools: g++, make, python3)");
  let socket: RawSocket;
  try {
    socket = raw.createSocket({ protocol: VRRP_PROTOCOL, bufferSize: 1500 });
  } catch (error) {
    throw new RawTransportUnavailable(`cannot open a raw socket for IP protocol 112 (${error instanceof Error ? error.message : String(error)}): run as root or with CAP_NET_RAW`);
  }
  const multicast = options.unicastPeers.length === 0;
  const deviceName = Buffer.from(`${options.interface}\0`);
  socket.setOption(SOL_SOCKET, SO_BINDTODEVICE, deviceName, deviceName.length);
  socket.setOption(IPPROTO_IP, IP_HDRINCL, 1);
  if (multicast) {
    const membership = Buffer.concat([ipv4Bytes(VRRP_MULTICAST_GROUP), ipv4Bytes(options.ownAddress)]);
    socket.setOption(IPPROTO_IP, IP_ADD_MEMBERSHIP, membership, membership.length);
    const own = ipv4Bytes(options.ownAddress);
    socket.setOption(IPPROTO_IP, IP_MULTICAST_IF, own, own.length);
    socket.setOption(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
    // Only the groups joined on this socket, not every group of the host (Keepalived does the same).
    socket.setOption(IPPROTO_IP, IP_MULTICAST_ALL, 0);
  }
  socket.on("error", () => {});
  const destinations = multicast ? [VRRP_MULTICAST_GROUP] : options.unicastPeers;
  let identification = 0;
  let handler: ((advert: Buffer, from: string, ttl: number | null) => void) | null = null;
  socket.on("message", (datagram) => {
    const header = parseIpv4Header(datagram);
    if (!header || header.protocol !== VRRP_PROTOCOL || header.source === options.ownAddress) return;
    const advert = datagram.subarray(header.headerLength);
    if (decodeAdvert(advert) === null) return;
    handler?.(advert, header.source, header.ttl);
  });
  return {
    send(advert) {
      for (const destination of destinations) {
        identification = (identification + 1) & 0xffff;
        const header = buildIpv4Header({ source: options.ownAddress, destination, payloadLength: advert.length, identification });
        const datagram = Buffer.concat([header, advert]);
        socket.send(datagram, 0, datagram.length, destination, () => {});
      }
    },
    onAdvert(next) {
      handler = next;
    },
    close() {
      socket.close();
      return Promise.resolve();
    },
  };
}
