import type { SpecRule } from "../../rule.js";
import { globalAnchor, rawHas } from "../../statements.js";

/** A chroot confines a compromised HAProxy to an empty folder instead of the whole file system. */
export const noChroot: SpecRule = {
  meta: {
    id: "HAP027",
    name: "no-chroot",
    category: "haproxy",
    severity: "info",
    summary: "`global` without `chroot`.",
  },
  scope: "spec",
  check({ spec, report }) {
    if (spec.model.global.chroot !== undefined) return;
    if (rawHas(spec.model.global.raw, "chroot")) return;
    report({
      span: globalAnchor(spec),
      message: "No `chroot` in `global`: an attacker who exploits a flaw in HAProxy can read the whole file system of the load balancer, keys and configuration included.",
      notes: [{ message: "add `chroot /var/lib/haproxy` (an empty folder nobody can write to) together with `user`" }],
    });
  },
};
