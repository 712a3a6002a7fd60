/**
 * Starting VRRP for a running node: the adverts' transport (IP protocol 112 like Keepalived when a
 * raw socket can be opened, else UDP between the nodes' addresses) and the VrrpNode that moves
 * the VIPs. The node starts as Keepalived does, in BACKUP.
 */
import type { Ir } from "../../ir/types.js";
import { nodeNamed, RunInputError } from "../load-ir.js";
import type { Environment } from "../proxy/settings.js";
import { openRawTransport, RawTransportUnavailable } from "./raw-transport.js";
import { openUdpTransport, type VrrpTransport } from "./transport.js";
import { type MasterSwitch, VrrpNode } from "./vrrp-node.js";

export interface StartVrrpOptions {
  readonly ir: Ir;
  readonly nodeName: string;
  readonly balancer: MasterSwitch;
  readonly env: Environment;
  readonly udpPort: number;
  /** `raw`: IP protocol 112 (pairs with Keepalived); `udp`: datagrams between halb run nodes; `auto`: raw when it can be opened. */
  readonly wire: VrrpWire;
  readonly log: (line: string) => void;
}

export type VrrpWire = "auto" | "raw" | "udp";

export async function startVrrpNode(options: StartVrrpOptions): Promise<VrrpNode> {
  const ir = options.ir;
  const node = nodeNamed(ir, options.nodeName);
  const peers = ir.cluster.nodes.filter((peer) => peer.name !== node.name).map((peer) => peer.address);
  let transport: VrrpTransport | null = null;
  let wire = "IP protocol 112";
  if (options.wire !== "udp") {
    try {
      const unicastPeers = ir.cluster.vrrp.transport === "unicast" ? peers : [];
      transport = openRawTransport({ ownAddress: node.address, interface: node.interface, unicastPeers });
    } catch (error) {
      if (!(error instanceof RawTransportUnavailable)) throw error;
      if (options.wire === "raw") throw new RunInputError(`VRRP on the wire: ${error.message}`);
      options.log(`(${ir.cluster.name}) VRRP on the wire unavailable (${error.message}): adverts go over UDP port ${options.udpPort}, which only halb run nodes hear`);
    }
  }
  if (!transport) {
    wire = `UDP port ${options.udpPort}`;
    try {
      transport = await openUdpTransport({ ownAddress: node.address, peers, port: options.udpPort });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "EADDRNOTAVAIL" ? "that address is not one of this host's" : code === "EADDRINUSE" ? "the port is in use" : String(error);
      throw new RunInputError(`VRRP: cannot listen for adverts on ${node.address} UDP port ${options.udpPort}: ${why} (node ${node.name})`);
    }
  }
  return VrrpNode.start({ ir, node, env: options.env, balancer: options.balancer, transport, wire, log: options.log });
}
