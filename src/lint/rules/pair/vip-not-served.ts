import type { IrBindAddress, IrVip } from "../../../ir/types.js";
import { isUnspecified, sameAddress } from "../../addresses.js";
import { allBinds, vipName } from "../../binds.js";
import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";

/**
 * A VIP that no frontend, listen or stats block binds is moved between the nodes for nothing:
 * every connection to it is refused. Counted as binding it: `vip(N)`, its literal address, `*` /
 * `:PORT` / `0.0.0.0` for an IPv4 VIP, and `[::]` for either family (Linux's default
 * net.ipv6.bindv6only=0 lets an IPv6 wildcard socket accept IPv4 too).
 */
export const vipNotServed: SpecRule = {
  meta: {
    id: "PAIR008",
    name: "vip-not-served",
    category: "pair",
    severity: "warning",
    summary: "A VIP that no frontend, listen or stats block binds: connections to it are refused.",
  },
  scope: "spec",
  check({ spec, report }) {
    const binds = allBinds(spec).map((b) => b.bind);
    spec.ir.cluster.vips.forEach((vip, i) => {
      if (binds.some((bind) => serves(bind, vip, i))) return;
      const name = `\`${vipName(i)}\``;
      report({
        span: argSpan(spec, spec.model.cluster!.vips[i]!.span, 0),
        message: `VIP \`${vip.address}\` (${name}) is bound by no frontend, listen or stats block: whichever node holds it refuses every connection to it.`,
        notes: [{ message: `bind it (\`bind ${vipName(i)}:PORT\`) where it should be served, or remove the VIP` }],
      });
    });
  },
};

function serves(bind: IrBindAddress, vip: IrVip, index: number): boolean {
  switch (bind.kind) {
    case "vip":
      return bind.vip === index;
    case "any":
      return vip.family === 4;
    case "address":
      if (isUnspecified(bind.address, bind.family)) return bind.family === 6 || vip.family === 4;
      return sameAddress(bind.address, bind.family, vip.address, vip.family);
    case "node":
      return false;
  }
}
