/**
 * Starting VRRP for a running node: the adverts' transport (UDP between the nodes' own addresses)
 * and the VrrpNode that moves the VIPs. The node starts as Keepalived does, in BACKUP.
 */
import type { Ir } from "../../ir/types.js";
import { nodeNamed, RunInputError } from "../load-ir.js";
import type { Environment } from "../proxy/settings.js";
import { openUdpTransport } from "./transport.js";
import { type MasterSwitch, VrrpNode } from "./vrrp-node.js";

export interface StartVrrpOptions {
  readonly ir: Ir;
  readonly nodeName: string;
  readonly balancer: MasterSwitch;
  readonly env: Environment;
  readonly udpPort: number;
  readonly log: (line: string) => void;
}

export async function startVrrpNode(options: StartVrrpOptions): Promise<VrrpNode> {
  const ir = options.ir;
  const node = nodeNamed(ir, options.nodeName);
  const peers = ir.cluster.nodes.filter((peer) => peer.name !== node.name).map((peer) => peer.address);
  let transport;
  try {
    transport = await openUdpTransport({ ownAddress: node.address, peers, port: options.udpPort });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRNOTAVAIL" ? "that address is not one of this host's" : code === "EADDRINUSE" ? "the port is in use" : String(error);
    throw new RunInputError(`VRRP: cannot listen for adverts on ${node.address} UDP port ${options.udpPort}: ${why} (node ${node.name})`);
  }
  return VrrpNode.start({ ir, node, env: options.env, balancer: options.balancer, transport, log: options.log });
}
