import type { IrBindAddress } from "../../../ir/types.js";
import { pools, sectionAt } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { STATS_OWNER, allBinds, bindText, bindsOverlap, sameAddress } from "./binds.js";
import { directiveAt } from "./where.js";

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
    const vips = spec.ir.cluster.vips;
    // The stats page answers by itself: a server pointing at it is odd, but not a loop.
    const binds = allBinds(spec).filter((b) => b.owner !== STATS_OWNER);
    for (const pool of pools(spec)) {
      const section = sectionAt(spec, pool.model.span);
      for (const server of pool.model.servers) {
        const vipIndex = vips.findIndex((v) => v.family === server.family && sameAddress(v.address, server.address, v.family));
        if (vipIndex < 0) continue;
        const target: IrBindAddress = { kind: "address", address: server.address, family: server.family, port: server.port };
        const listener = binds.find((b) => bindsOverlap(spec, b.bind, target));
        if (!listener) continue;
        const vipName = vipIndex === 0 ? "vip" : `vip(${vipIndex + 1})`;
        report({
          span: directiveAt(section, server.span)?.args[1]?.span ?? server.span,
          message: `Server \`${server.name.value}\` in ${pool.kind} \`${pool.model.name.value}\` is the cluster's own \`${vipName}\` (${server.address}), on port ${server.port} where ${listener.owner} listens: every request sent to it comes back into HAProxy and loops.`,
          notes: [
            { message: `${listener.owner} binds \`${bindText(listener.bind)}\` here`, span: listener.span },
            { message: "point the server at the real machine that serves the application" },
          ],
        });
      }
    }
  },
};
