/** `bind ADDRESS…`: `vip[:(N)]:PORT`, `node:PORT`, `*:PORT`, `:PORT` or `ADDRESS:PORT`. */
import { diag, q } from "../../diagnostics/create.js";
import { parseBind } from "../addresses.js";
import type { AnalyzeContext, ArgReader } from "../args.js";
import type { ModelBind } from "../model.js";

/** Binds with `vip` resolved later (the cluster may come after), so VIP numbers stay 1-based here. */
export function readBinds(ctx: AnalyzeContext, args: ArgReader, into: ModelBind[]): void {
  if (args.done) return void args.word("an address such as `vip:80` or `*:80`");
  while (!args.done) {
    const word = args.word("an address such as `vip:80`");
    if (!word) return;
    const parsed = parseBind(word.value);
    if (!parsed) {
      ctx.diagnostics.push(diag("HAL2013", word.span, { text: q(word.value), expected: "bind address (`vip:PORT`, `vip(N):PORT`, `node:PORT`, `*:PORT` or `ADDRESS:PORT`)" }));
      continue;
    }
    const bind =
      parsed.kind === "vip"
        ? // Placeholder address until the VIPs are known; resolveVipBinds fills it in.
          { kind: "vip" as const, vip: parsed.vip, address: "", family: 4 as const, port: parsed.port }
        : parsed;
    into.push({ bind, span: word.span });
  }
}
