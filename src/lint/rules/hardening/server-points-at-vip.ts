import type { IrBindAddress } from "../../../ir/types.js";
import { allBinds, bindText, bindsOverlap, ownerText, vipName, vipWithAddress } from "../../binds.js";
import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * A server at one of the cluster's VIPs, on a port HAProxy itself listens on there, sends each
 * request back into HAProxy: the request loops until connections or file descriptors run out.
 * (A VIP on a port HAProxy does not bind is some other service on the master, and not reported.)
 */
export const serverPointsAtVip: SpecRule = {
  meta: {
    id: "HAP032",
    name: "server-points-at-vip",
    category: "haproxy",
    severity: "error",
    summary: "A server at a cluster VIP on a port HAProxy listens on there: traffic loops back into HAProxy.",
  },
  scope: "spec",
  check({ spec, report }) {
    // The stats page answers by itself: a server pointing at it is odd, but not a loop.
    const binds = allBinds(spec).filter((b) => b.owner.kind !== "stats");
    for (const pool of pools(spec)) {
      for (const server of pool.model.servers) {
        const vipIndex = vipWithAddress(spec, server.address, server.family);
        if (vipIndex < 0) continue;
        const target: IrBindAddress = { kind: "address", address: server.address, family: server.family, port: server.port };
        const listener = binds.find((b) => bindsOverlap(spec, b.bind, target));
        if (!listener) continue;
        report({
          span: argSpan(spec, server.span, 1),
          message: `Server \`${server.name.value}\` in ${proxyLabel(pool.model)} is the cluster's own \`${vipName(vipIndex)}\` (${server.address}), on port ${server.port} where ${ownerText(listener.owner)} listens: every request sent to it comes back into HAProxy and loops.`,
          notes: [
            { message: `${ownerText(listener.owner)} binds \`${bindText(listener.bind)}\` here`, span: listener.span },
            { message: "point the server at the real machine that serves the application" },
          ],
        });
      }
    }
  },
};
