import { describe, expect, it } from "vitest";
import type { IrBindAddress, IrNode } from "../../src/ir/types.js";
import { activeListenAddresses } from "../../src/runtime/listen-addresses.js";

const node: IrNode = { name: "lb1", address: "127.0.0.2", family: 4, role: "master", priority: 100, interface: "lo", initialState: "MASTER" };
const binds: IrBindAddress[] = [
  { kind: "vip", vip: 0, address: "127.0.0.10", family: 4, port: 80 },
  { kind: "node", port: 8404 },
  { kind: "address", address: "127.0.0.3", family: 4, port: 81 },
  { kind: "any", port: 82 },
];

describe("activeListenAddresses", () => {
  it("opens the VIP only as master", () => {
    expect(activeListenAddresses(binds, node, true).map((a) => `${a.host}:${a.port}`)).toEqual(["127.0.0.10:80", "127.0.0.2:8404", "127.0.0.3:81", "0.0.0.0:82"]);
    expect(activeListenAddresses(binds, node, false).map((a) => `${a.host}:${a.port}`)).toEqual(["127.0.0.2:8404", "127.0.0.3:81", "0.0.0.0:82"]);
  });
});
