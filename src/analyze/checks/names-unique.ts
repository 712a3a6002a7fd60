/** Proxy names share one namespace in HAProxy (the stats section included); servers are unique per pool; nodes per cluster. */
import { diag, q } from "../../diagnostics/create.js";
import type { Span } from "../../diagnostics/span.js";
import type { AnalyzeContext } from "../args.js";
import type { Located, ModelSpec } from "../model.js";
import { STATS_SECTION_NAME } from "../../ir/names.js";

export function checkNamesUnique(model: ModelSpec, ctx: AnalyzeContext): void {
  const proxies: { kind: string; name: Located<string> }[] = [
    ...(model.stats ? [{ kind: "The stats section", name: { value: STATS_SECTION_NAME, span: model.stats.span } }] : []),
    ...[...model.frontends, ...model.backends, ...model.listens].map((p) => ({ kind: `The ${p.kind}`, name: p.name })),
  ];
  reportDuplicates(ctx, proxies, (p) => p.name, (p) => `${p.kind} name`);
  for (const pool of [...model.backends, ...model.listens]) reportDuplicates(ctx, pool.servers, (s) => s.name, () => `Server name in ${pool.kind} \`${pool.name.value}\`:`);
  if (model.cluster) reportDuplicates(ctx, model.cluster.nodes, (n) => n.name, () => "Node name");
}

function reportDuplicates<T>(ctx: AnalyzeContext, items: readonly T[], nameOf: (item: T) => Located<string>, kindOf: (item: T) => string): void {
  const first = new Map<string, Span>();
  for (const item of items) {
    const name = nameOf(item);
    const earlier = first.get(name.value);
    if (earlier) ctx.diagnostics.push(diag("HAL2002", name.span, { kind: kindOf(item), name: q(name.value) }, [{ message: "first defined here", span: earlier }]));
    else first.set(name.value, name.span);
  }
}
