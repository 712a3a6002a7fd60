/**
 * How VRRP adverts travel between nodes. The state machine only sees bytes and the sender's
 * address; the transport decides the wire:
 *
 * - `udp`: the VRRPv2 advertisement bytes as UDP datagrams between the nodes' own addresses
 *   (every other node of the cluster is a peer). Needs no privilege, works on loopback; it does
 *   not interoperate with Keepalived.
 * - `raw` (raw-transport.ts): IP protocol 112 as Keepalived sends it.
 */
import { createSocket, type Socket } from "node:dgram";

export interface VrrpTransport {
  /** Sends one advertisement (the VRRP message, without IP header) to every peer. */
  send(advert: Buffer): void;
  /** Each advertisement received, with its sender's address and the IP TTL when the wire has one. */
  onAdvert(handler: (advert: Buffer, from: string, ttl: number | null) => void): void;
  close(): Promise<void>;
}

/** The UDP port VRRP-over-UDP uses unless told otherwise (112, protocol number of VRRP, + 10000). */
export const DEFAULT_VRRP_UDP_PORT = 10112;

export interface UdpTransportOptions {
  /** This node's address: the socket binds here, and peers see it as the sender. */
  readonly ownAddress: string;
  readonly peers: readonly string[];
  readonly port: number;
}

export async function openUdpTransport(options: UdpTransportOptions): Promise<VrrpTransport> {
  const socket: Socket = createSocket({ type: options.ownAddress.includes(":") ? "udp6" : "udp4", reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind({ address: options.ownAddress, port: options.port, exclusive: true }, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  // A send to a peer that is down fails asynchronously (ECONNREFUSED on loopback): VRRP ignores it.
  socket.on("error", () => {});
  let handler: ((advert: Buffer, from: string, ttl: number | null) => void) | null = null;
  socket.on("message", (message, remote) => {
    // Only the cluster's nodes take part; anything else on the port is ignored.
    if (options.peers.includes(remote.address)) handler?.(message, remote.address, null);
  });
  return {
    send(advert) {
      for (const peer of options.peers) socket.send(advert, options.port, peer);
    },
    onAdvert(next) {
      handler = next;
    },
    close() {
      return new Promise((resolve) => socket.close(() => resolve()));
    },
  };
}
