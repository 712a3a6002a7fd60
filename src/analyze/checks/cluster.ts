/** The pair's invariants: required settings, exactly one master that really wins, one address family, distinct addresses. */
import { diag, q } from "../../diagnostics/create.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelCluster, ModelSpec } from "../model.js";
import { nodePriority } from "../../ir/priorities.js";

export function checkCluster(model: ModelSpec, ctx: AnalyzeContext): void {
  const cluster = model.cluster;
  if (!cluster) return;
  const at = cluster.name.span;
  const wrote = (statement: string): boolean => cluster.written.has(statement);
  if (!wrote("vip")) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "at least one `vip ADDRESS/PREFIX`" }));
  if (!wrote("vrid")) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "`vrid N` (the virtual router id, 1–255)" }));
  if (!wrote("node")) ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "its nodes: `node NAME ADDRESS master|backup`" }));
  if (!wrote("interface") && cluster.nodes.some((n) => !n.interface)) {
    ctx.diagnostics.push(diag("HAL2010", at, { statement: "`cluster`", expected: "`interface NAME` (or one in every node's overrides)" }));
  }
  checkRoles(cluster, ctx);
  checkFamilies(cluster, ctx);
  checkAddresses(cluster, ctx);
}

function checkRoles(cluster: ModelCluster, ctx: AnalyzeContext): void {
  const withRole = cluster.nodes.filter((n) => n.role);
  // A node refused (or written without a role) was reported already; counting masters would mislead.
  if (withRole.length < (cluster.written.get("node") ?? 0)) return;
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
    if (node.family !== first.family) {
      ctx.diagnostics.push(diag("HAL2027", node.address.span, { vipFamily: first.family, node: q(node.name.value), family: node.family, address: q(node.address.value) }));
    }
  }
}

function checkAddresses(cluster: ModelCluster, ctx: AnalyzeContext): void {
  const seen = new Map<string, { who: string; span: ModelCluster["span"] }>();
  const claim = (address: string, who: string, span: ModelCluster["span"]): void => {
    const earlier = seen.get(address);
    if (earlier) ctx.diagnostics.push(diag("HAL2023", span, { address: q(address), first: earlier.who, second: who }, [{ message: "first used here", span: earlier.span }]));
    else seen.set(address, { who, span });
  };
  cluster.vips.forEach((vip, i) => claim(vip.address, `VIP ${i + 1}`, vip.span));
  for (const node of cluster.nodes) claim(node.address.value, `node \`${node.name.value}\``, node.address.span);
}
