/** VRRP priorities: the master 100 and the k-th backup 100 − 10·k unless the spec says otherwise. */
import type { ModelNode } from "../analyze/model.js";

export const MASTER_PRIORITY = 100;

export function nodePriority(nodes: readonly ModelNode[], node: ModelNode): number {
  if (node.priority) return node.priority.value;
  if (node.role?.value === "master") return MASTER_PRIORITY;
  const backupIndex = nodes.filter((n) => n.role?.value !== "master").indexOf(node);
  return Math.max(1, MASTER_PRIORITY - 10 * (backupIndex + 1));
}
