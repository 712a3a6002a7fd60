/** Where a proxy listens. */
import type { IrBindAddress, IrNode } from "../../ir/types.js";
import { assertNever } from "../../util/internal-error.js";
import type { ConfigWriter } from "../config-writer.js";

/** `ADDR:PORT`, or `[ADDR]:PORT` for IPv6 (HAProxy 2.6 binds that form to the IPv6 address: verified). */
export function hostPort(address: string, family: 4 | 6, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `192.168.66.10:80` (vip, address), the node's own address (node), `:80` (any). */
export function bindAddress(bind: IrBindAddress, node: IrNode): string {
  switch (bind.kind) {
    case "vip":
    case "address":
      return hostPort(bind.address, bind.family, bind.port);
    case "node":
      return hostPort(node.address, node.family, bind.port);
    case "any":
      return `:${bind.port}`;
    default:
      return assertNever(bind, "bind");
  }
}

/** `bind 192.168.66.10:80` per bind, in IR order. */
export function writeBinds(w: ConfigWriter, binds: readonly IrBindAddress[], node: IrNode): void {
  binds.forEach((bind, i) => w.from(`binds/${i}`, () => w.line("bind", bindAddress(bind, node))));
}
