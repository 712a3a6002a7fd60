import { isLoopback, isUnspecified } from "../../addresses.js";
import { allBinds, bindText, nodeWithAddress, ownerTitle, vipWithAddress } from "../../binds.js";
import type { SpecRule } from "../../rule.js";

/**
 * halb writes a literal bind address into every node's haproxy.cfg. An address that is no VIP, no
 * node's own address and not loopback is held by no node: without halb's ip_nonlocal_bind sysctl
 * HAProxy refuses to start ("cannot bind socket"), and with it the socket binds but no packet
 * ever arrives, so the service is silently unreachable.
 */
export const bindOnForeignAddress: SpecRule = {
  meta: {
    id: "PAIR009",
    name: "bind-on-foreign-address",
    category: "pair",
    severity: "error",
    summary: "A bind on an address that is neither a VIP, nor a node's address, nor loopback: no node owns it.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const { bind, span, owner } of allBinds(spec)) {
      if (bind.kind !== "address") continue;
      const { address, family } = bind;
      if (isUnspecified(address, family) || isLoopback(address, family)) continue;
      if (vipWithAddress(spec, address, family) >= 0) continue;
      if (nodeWithAddress(spec, address, family)) continue;
      report({
        span,
        message: `${ownerTitle(owner)} binds \`${bindText(bind)}\`, an address that is neither a VIP nor a node's own: no node of the pair holds it, so HAProxy cannot bind it (or, with ip_nonlocal_bind, binds it and never receives a connection).`,
        notes: [{ message: "bind a VIP (`vip:PORT`, `vip(N):PORT`), the node's own address (`node:PORT`), or add the address as a `vip` of the cluster" }],
      });
    }
  },
};
