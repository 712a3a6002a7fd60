import type { Span } from "../../../diagnostics/span.js";
import { hasSubnet, inSubnet, ipv4Bounds, sameAddress } from "../../addresses.js";
import type { LintedSpec } from "../../linted-spec.js";
import type { ProjectRule } from "../../rule.js";

/**
 * Keepalived tells VRRP instances apart by VRID, per interface, address family and transport
 * (multicast or unicast). Two pairs with the same VRID whose adverts reach each other drop each
 * other's packets as invalid (or obey them), and flap or split-brain. Specs linted together (with the
 * same VRRP family and transport) collide when they run on a common node (same address, same
 * interface), or, with multicast adverts, when a VIP subnet of either contains an address (node
 * or VIP) of each. Unicast adverts only reach the listed peers, so unicast pairs collide only
 * through a shared node.
 */
export const vridReusedAcrossSpecs: ProjectRule = {
  meta: {
    id: "PAIR005",
    name: "vrid-reused-across-specs",
    category: "pair",
    severity: "error",
    summary: "Two specs linted together use the same `vrid` on the same network: their adverts collide and both pairs flap or split-brain.",
  },
  scope: "project",
  checkProject({ specs, report }) {
    for (const spec of specs) {
      for (const other of specs) {
        if (other === spec || other.file === spec.file) continue;
        const why = collision(spec, other);
        if (!why) continue;
        const vrid = spec.ir.cluster.vrrp.vrid;
        report({
          span: vridSpan(spec),
          message: `VRID ${vrid} is also used by cluster \`${other.ir.cluster.name}\` in \`${other.file}\`, ${why}: each pair drops the other's adverts as bogus, and VIPs flap or end up on two masters.`,
          notes: [
            { message: `the same VRID in \`${other.file}\``, span: vridSpan(other) },
            { message: "give every pair on a network its own `vrid` (1–255)" },
          ],
        });
      }
    }
  },
};

function vridSpan(spec: LintedSpec): Span {
  const cluster = spec.model.cluster!;
  return cluster.vrid?.span ?? cluster.name.span;
}

/** Why the two pairs' adverts meet, or null when they do not. */
function collision(a: LintedSpec, b: LintedSpec): string | null {
  const ca = a.ir.cluster;
  const cb = b.ir.cluster;
  if (ca.vrrp.vrid !== cb.vrrp.vrid) return null;
  // The first VIP's family is the VRRP family: IPv4 and IPv6 instances never see each other.
  const family = ca.vips[0]!.family;
  if (family !== cb.vips[0]!.family) return null;
  // keepalived.conf(5): unique per interface, address family and multicast/unicast (one socket).
  if (ca.vrrp.transport !== cb.vrrp.transport) return null;
  const shared = ca.nodes.find((n) => cb.nodes.some((m) => sameAddress(n.address, n.family, m.address, m.family) && n.interface === m.interface));
  if (shared) return `on the same node \`${shared.address}\` and interface \`${shared.interface}\``;
  if (ca.vrrp.transport !== "multicast") return null;
  const subnet = sharedSubnet(a, b, family);
  return subnet ? `with multicast adverts on the same network \`${subnet}\`` : null;
}

/** A VIP subnet (of either spec, in the VRRP family) holding an address of each: both pairs are on that link. */
function sharedSubnet(a: LintedSpec, b: LintedSpec, family: 4 | 6): string | null {
  const addresses = (spec: LintedSpec) => [...spec.ir.cluster.nodes, ...spec.ir.cluster.vips].filter((x) => x.family === family);
  const subnets = [...a.ir.cluster.vips, ...b.ir.cluster.vips].filter((v) => v.family === family && hasSubnet(v));
  for (const subnet of subnets) {
    const holds = (spec: LintedSpec) => addresses(spec).some((x) => inSubnet(x.address, family, subnet.address, subnet.prefix, family));
    if (!holds(a) || !holds(b)) continue;
    // IPv6 subnets are shown as written.
    const network = family === 4 ? ipv4Bounds(subnet.address, subnet.prefix).network : subnet.address;
    return `${network}/${subnet.prefix}`;
  }
  return null;
}
