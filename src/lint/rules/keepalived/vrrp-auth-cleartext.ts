import type { SpecRule } from "../../rule.js";

/**
 * VRRPv2 PASS authentication copies the password into every advert in clear text, and RFC 3768
 * removed it: it keeps a misconfigured neighbour out, never an attacker. Worth knowing, not an error.
 */
export const vrrpAuthCleartext: SpecRule = {
  meta: {
    id: "KA002",
    name: "vrrp-auth-cleartext",
    category: "keepalived",
    severity: "info",
    summary: "`auth pass`: VRRP PASS authentication, which sends the password in clear text in every advert.",
  },
  scope: "spec",
  check({ spec, report }) {
    const auth = spec.model.cluster?.auth;
    if (!auth) return;
    report({
      span: auth.span,
      message:
        "VRRP PASS authentication sends the password in clear text in every advert: anyone who can see one advert can forge others, so it only keeps out a misconfigured neighbour, not an attacker.",
      notes: [
        { message: "RFC 3768 removed VRRPv2 authentication; keepalived.conf(5) advises against it except with unicast" },
        { message: "protect VRRP with the network instead: a dedicated VLAN, or `unicast` and a firewall that accepts VRRP (IP protocol 112) only from the other nodes" },
      ],
    });
  },
};
