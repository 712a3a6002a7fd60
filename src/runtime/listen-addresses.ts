/**
 * Where a node listens for an IR bind. `vip` binds belong to the master only (VRRP, or `--master`,
 * decides); `node` is the node's own address; `any` is every
 * address, as HAProxy's `*:PORT` (IPv4; HAProxy needs `:::PORT` for IPv6 too).
 */
import type { IrBindAddress, IrNode } from "../ir/types.js";

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  /** Only the master listens here. */
  readonly onVip: boolean;
}

export function listenAddress(bind: IrBindAddress, node: IrNode): ListenAddress {
  switch (bind.kind) {
    case "vip":
      return { host: bind.address, port: bind.port, onVip: true };
    case "node":
      return { host: node.address, port: bind.port, onVip: false };
    case "address":
      return { host: bind.address, port: bind.port, onVip: false };
    case "any":
      return { host: "0.0.0.0", port: bind.port, onVip: false };
  }
}
