import type { SpecRule } from "../../rule.js";

/**
 * `auth pass "…"` puts the VRRP password in the spec, so in every copy and in version control;
 * `env(NAME)` keeps it out (halb still has to write it into keepalived.conf, mode 0600).
 */
export const vrrpPasswordInSpec: SpecRule = {
  meta: {
    id: "KA001",
    name: "vrrp-password-in-spec",
    category: "keepalived",
    severity: "warning",
    summary: "A VRRP password (`auth pass`) written in the spec instead of taken from `env(NAME)`.",
  },
  scope: "spec",
  check({ spec, report }) {
    const auth = spec.model.cluster?.auth;
    if (!auth || "env" in auth.value) return;
    report({
      span: auth.span,
      message:
        "The VRRP password is written in the spec: whoever can read the spec or its history can send adverts this pair accepts as its own.",
      notes: [{ message: "take it from the environment, e.g. `auth pass env(VRRP_PASS)`, and set the variable when compiling" }],
    });
  },
};
