import { nodeWithAddress } from "../../binds.js";
import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * A server running on one of the load balancers dies with it: the failover that follows moves the
 * traffic to the other node, onto a pool that has just lost that member too.
 */
export const serverOnLbNode: SpecRule = {
  meta: {
    id: "PAIR011",
    name: "server-on-lb-node",
    category: "pair",
    severity: "warning",
    summary: "A server whose address is one of the cluster's nodes: it goes down with that node, exactly when the pair fails over.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      for (const server of pool.model.servers) {
        const node = nodeWithAddress(spec, server.address, server.family);
        if (!node) continue;
        report({
          span: argSpan(spec, server.span, 1),
          message: `Server \`${server.name.value}\` of ${proxyLabel(pool.model)} is \`${server.address}\`, the address of node \`${node.name}\`: when that node fails, the failover lands on a pool that has just lost this server too.`,
          notes: [
            { message: `node \`${node.name}\``, span: node.span },
            { message: "run the servers on other hosts than the load balancers, or accept that this one shares the node's fate" },
          ],
        });
      }
    }
  },
};
