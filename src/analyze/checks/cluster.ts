/** The pair's invariants: required settings, exactly one master that really wins, one address family, distinct addresses. */
import { diag, q } from "../../diagnostics/create.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelCluster, ModelSpec } from "../model.js";
import { nodePriority } from "../../ir/priorities.js";

export function checkCluster(model: ModelSpec, ctx: AnalyzeContext): void {
  const cluster = model.cluster;
  if (!cluster) return;
  const at = cluster.name.span;
  if (cluster.vips.length === 0) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "at least one `vip ADDRESS/PREFIX`" }));
  if (!cluster.vrid) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "`vrid N` (the virtual router id, 1–255)" }));
  if (cluster.nodes.length === 0) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "its nodes: `node NAME ADDRESS master|backup`" }));
  if (!cluster.interface && cluster.nodes.some((n) => !n.interface)) {
    ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "`interface NAME` (or one in every node's overrides)" }));
  }
  checkRoles(cluster, ctx);
  checkFamilies(cluster, ctx);
  checkAddresses(cluster, ctx);
}

function checkRoles(cluster: ModelCluster, ctx: AnalyzeContext): void {
  const withRole = cluster.nodes.filter((n) => n.role);
  if (withRole.length < cluster.nodes.length) return; // each was reported already
  const masters = withRole.filter((n) => n.role!.value === "master");
  if (masters.length !== 1) {
    const span = masters[1]?.role?.span ?? cluster.name.span;
    ctx.diagnostics.push(diag("HAL2004", span, { count: masters.length }));
    return;
  }
  const master = masters[0]!;
  const masterPriority = nodePriority(cluster.nodes, master);
  for (const node of cluster.nodes) {
    if (node === master) continue;
    const priority = nodePriority(cluster.nodes, node);
    if (priority >= masterPriority) {
      ctx.diagnostics.push(
        diag("HAL2021", node.priority?.span ?? node.span, { master: masterPriority, node: q(node.name.value), priority }),
      );
    }
  }
}

function checkFamilies(cluster: ModelCluster, ctx: AnalyzeContext): void {
  const first = cluster.vips[0];
  if (!first) return;
  if (first.family === 6 && cluster.auth) ctx.diagnostics.push(diag("HAL2031", cluster.auth.span, { address: q(first.address) }));
  for (const vip of cluster.vips) if (vip.family === 6 && vip.label !== undefined) ctx.diagnostics.push(diag("HAL2032", vip.span, { address: q(vip.address) }));
  for (const node of cluster.nodes) {
    if (node.family !== first.family) ctx.diagnostics.push(diag("HAL2027", node.address.span, { address: q(node.address.value), family: node.family }));
  }
}

function checkAddresses(cluster: ModelCluster, ctx: AnalyzeContext): void {
  const seen = new Map<string, string>();
  const claim = (address: string, what: string, span: ModelCluster["span"]): void => {
    const earlier = seen.get(address);
    if (earlier) ctx.diagnostics.push(diag("HAL2023", span, { what, address: q(address) }, [{ message: `already used by ${earlier}` }]));
    else seen.set(address, what.toLowerCase());
  };
  for (const vip of cluster.vips) claim(vip.address, "The VIP", vip.span);
  for (const node of cluster.nodes) claim(node.address.value, `The address of node \`${node.name.value}\``, node.address.span);
}
