import type { ModelServer } from "../../../analyze/model.js";
import { pools, sectionAt } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { sameAddress } from "./binds.js";
import { directiveAt } from "./where.js";

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
      const section = sectionAt(spec, pool.model.span);
      const seen: ModelServer[] = [];
      for (const server of pool.model.servers) {
        const first = seen.find((s) => s.port === server.port && s.family === server.family && sameAddress(s.address, server.address, s.family));
        seen.push(server);
        if (!first) continue;
        const address = directiveAt(section, server.span)?.args[1];
        report({
          span: address?.span ?? server.span,
          message: `Servers \`${first.name.value}\` and \`${server.name.value}\` of ${pool.kind} \`${pool.model.name.value}\` are both \`${hostPort(server)}\`: one machine counted twice gets twice its share of the traffic, and its failure takes out both.`,
          notes: [
            { message: `\`${first.name.value}\` has this address already`, span: directiveAt(section, first.span)?.args[1]?.span ?? first.span },
            { message: "fix the address that was copied, or remove one of the two servers" },
          ],
        });
      }
    }
  },
};

function hostPort(server: ModelServer): string {
  return server.family === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}
