import type { ModelServer } from "../../../analyze/model.js";
import { hostPort, sameAddress } from "../../addresses.js";
import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * Two servers of one pool at the same address and port are one machine counted twice: it gets
 * twice its share of the traffic, and when it dies the pool loses two servers at once. Usually a
 * copy-paste whose address was not changed.
 */
export const duplicateServerAddress: SpecRule = {
  meta: {
    id: "HAP031",
    name: "duplicate-server-address",
    category: "haproxy",
    severity: "warning",
    summary: "Two servers of one backend or listen with the same address and port.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      const seen: ModelServer[] = [];
      for (const server of pool.model.servers) {
        const first = seen.find((s) => s.port === server.port && sameAddress(s.address, s.family, server.address, server.family));
        seen.push(server);
        if (!first) continue;
        report({
          span: argSpan(spec, server.span, 1),
          message: `Servers \`${first.name.value}\` and \`${server.name.value}\` of ${proxyLabel(pool.model)} are both \`${hostPort(server.address, server.family, server.port)}\`: one machine counted twice gets twice its share of the traffic, and its failure takes out both.`,
          notes: [
            { message: `\`${first.name.value}\` has this address already`, span: argSpan(spec, first.span, 1) },
            { message: "fix the address that was copied, or remove one of the two servers" },
          ],
        });
      }
    }
  },
};
