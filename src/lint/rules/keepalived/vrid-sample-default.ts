import type { SpecRule } from "../../rule.js";

/**
 * 51 is the `virtual_router_id` of Keepalived's sample keepalived.conf, copied by countless
 * tutorials: on a shared network it is the VRID most likely to be taken already.
 */
export const vridSampleDefault: SpecRule = {
  meta: {
    id: "KA014",
    name: "vrid-sample-default",
    category: "keepalived",
    severity: "info",
    summary: "`vrid 51`, the VRID of Keepalived's sample configuration and of most tutorials.",
  },
  scope: "spec",
  check({ spec, report }) {
    const vrid = spec.model.cluster!.vrid;
    if (!vrid || vrid.value !== 51) return;
    report({
      span: vrid.span,
      message:
        "`vrid 51` is the VRID of Keepalived's sample configuration and of most tutorials, so it is the one most likely to be in use on the network already: pairs sharing a VRID receive each other's adverts, log them as errors, and can end up with flapping VIPs or two MASTERs.",
      notes: [{ message: "pick a VRID (1–255) that is unused on this network and record it where your team keeps such allocations" }],
    });
  },
};
