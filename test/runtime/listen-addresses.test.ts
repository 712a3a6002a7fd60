import { describe, expect, it } from "vitest";
import type { IrBindAddress, IrNode } from "../../src/ir/types.js";
import { listenAddress } from "../../src/runtime/listen-addresses.js";

const node: IrNode = { name: "lb1", address: "127.0.0.2", family: 4, role: "master", priority: 100, interface: "lo", initialState: "MASTER" };
const binds: IrBindAddress[] = [
  { kind: "vip", vip: 0, address: "127.0.0.10", family: 4, port: 80 },
  { kind: "node", port: 8404 },
  { kind: "address", address: "127.0.0.3", family: 4, port: 81 },
  { kind: "any", port: 82 },
];

describe("listenAddress", () => {
  it("resolves each bind for the node, marking the VIP binds that only the master opens", () => {
    expect(binds.map((bind) => listenAddress(bind, node))).toEqual([
      { host: "127.0.0.10", port: 80, onVip: true },
      { host: "127.0.0.2", port: 8404, onVip: false },
      { host: "127.0.0.3", port: 81, onVip: false },
      { host: "0.0.0.0", port: 82, onVip: false },
    ]);
  });
});
