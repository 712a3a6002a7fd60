import { compareAddresses } from "../../addresses.js";
import type { SpecRule } from "../../rule.js";

/**
 * When the master fails, backups of equal priority both claim the VIPs after the same master-down
 * interval; VRRP then keeps the one with the higher IP address. Which node takes over is decided
 * by addressing, not by intent (keepalived.conf(5): all systems should have different priorities).
 */
export const backupPriorityTie: SpecRule = {
  meta: {
    id: "PAIR006",
    name: "backup-priority-tie",
    category: "pair",
    severity: "warning",
    summary: "Two backups with the same priority: which one takes over is decided by IP address.",
  },
  scope: "spec",
  check({ spec, report }) {
    const nodes = spec.ir.cluster.nodes;
    const model = spec.model.cluster!.nodes;
    const firstWith = new Map<number, number>();
    nodes.forEach((node, i) => {
      if (node.role !== "backup") return;
      const earlier = firstWith.get(node.priority);
      if (earlier === undefined) return void firstWith.set(node.priority, i);
      const first = nodes[earlier]!;
      const winner = higherAddress(first.address, node.address) === node.address ? node : first;
      report({
        span: model[i]!.priority?.span ?? model[i]!.name.span,
        message: `Backup \`${node.name}\` has the same priority (${node.priority}) as \`${first.name}\`: when the master fails both claim the VIPs and VRRP keeps the one with the higher IP address (\`${winner.name}\`), so addressing, not intent, picks the new master.`,
        notes: [
          { message: `\`${first.name}\` has priority ${node.priority}`, span: model[earlier]!.priority?.span ?? model[earlier]!.name.span },
          { message: "give each backup its own priority, in the order they should take over" },
        ],
      });
    });
  },
};

/** VRRP compares the primary addresses as numbers; families never mix inside one cluster. */
function higherAddress(a: string, b: string): string {
  return compareAddresses(a, b) >= 0 ? a : b;
}
