/** Frontends and listens need a bind; `vip(N)` must name a VIP that exists (and gets its address here). */
import { diag, q } from "../../diagnostics/create.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelBind, ModelSpec } from "../model.js";

export function checkBinds(model: ModelSpec, ctx: AnalyzeContext): void {
  const vips = model.cluster?.vips ?? [];
  const resolve = (binds: ModelBind[]): void => {
    for (let i = 0; i < binds.length; i++) {
      const { bind, span } = binds[i]!;
      if (bind.kind !== "vip") continue;
      const vip = vips[bind.vip - 1];
      if (!vip) {
        // When a `vip` statement was refused, the numbering is unknown: that error stands alone.
        const vipsWritten = model.cluster?.written.get("vip") ?? 0;
        if (model.cluster && vipsWritten === vips.length) ctx.diagnostics.push(diag("HAL2017", span, { text: q(bind.vip === 1 ? "vip" : `vip(${bind.vip})`), index: bind.vip, count: vips.length }));
        continue;
      }
      // The IR counts VIPs from 0; the spec from 1.
      binds[i] = { span, bind: { kind: "vip", vip: bind.vip - 1, address: vip.address, family: vip.family, port: bind.port } };
    }
  };
  for (const proxy of [...model.frontends, ...model.listens]) {
    if (!proxy.written.has("bind")) ctx.diagnostics.push(diag("HAL2019", proxy.name.span, { proxy: `${proxy.kind} ${q(proxy.name.value)}` }));
    resolve(proxy.binds);
  }
  if (model.stats) {
    if (!model.stats.written.has("bind")) ctx.diagnostics.push(diag("HAL2019", model.stats.span, { proxy: "`stats`" }));
    resolve(model.stats.binds);
  }
}
