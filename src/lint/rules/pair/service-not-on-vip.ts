import type { ModelBind } from "../../../analyze/model.js";
import type { IrBindAddress } from "../../../ir/types.js";
import { bindText, nodeWithAddress } from "../../binds.js";
import type { LintedSpec } from "../../linted-spec.js";
import { sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * A frontend or listen bound only to node addresses stays where it is when the VIPs move: clients
 * of the failed node lose it, and the backup's copy is reached only by those who know its address.
 * The stats block is exempt (a per-node stats page is the point, see PAIR017).
 */
export const serviceNotOnVip: SpecRule = {
  meta: {
    id: "PAIR010",
    name: "service-not-on-vip",
    category: "pair",
    severity: "warning",
    summary: "A frontend or listen that binds only node addresses: the service does not follow the VIPs on failover.",
  },
  scope: "spec",
  check({ spec, report }) {
    const blocks = [...spec.model.frontends, ...spec.model.listens];
    for (const block of blocks) {
      if (block.binds.length === 0 || !block.binds.every((b) => onNode(spec, b))) continue;
      const literal = block.binds.map((b) => literalNode(spec, b.bind)).find((n) => n !== undefined);
      const where = literal
        ? `\`${literal.address}\` is \`${literal.node}\`'s own address, yet every node's haproxy.cfg gets it and only \`${literal.node}\` ever receives connections there`
        : "each node serves it on its own address";
      report({
        span: block.binds[0]!.span,
        message: `${sentenceLabel(block)} binds only node addresses (${block.binds.map((b) => `\`${bindText(b.bind)}\``).join(", ")}): ${where}, so the service does not follow the VIPs when the pair fails over.`,
        notes: [{ message: "bind a VIP (`vip:PORT`) so clients reach the service on whichever node is master" }],
      });
    }
  },
};

function onNode(spec: LintedSpec, { bind }: ModelBind): boolean {
  return bind.kind === "node" || literalNode(spec, bind) !== undefined;
}

/** The address of a literal bind that is some node's own address. */
function literalNode(spec: LintedSpec, bind: IrBindAddress): { address: string; node: string } | undefined {
  if (bind.kind !== "address") return undefined;
  const node = nodeWithAddress(spec, bind.address, bind.family);
  return node ? { address: bind.address, node: node.name } : undefined;
}
