import { formatMs, seconds } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * A backup declares the master dead after 3 advert intervals plus a skew of (256 − priority)/256 s
 * (RFC 3768 §6.1, VRRPv2): a slow advert makes every node failure an outage of that length.
 */
export const advertIntervalSlow: SpecRule<{ maxMs: number }> = {
  meta: {
    id: "KA003",
    name: "advert-interval-slow",
    category: "keepalived",
    severity: "warning",
    summary: "An `advert` interval above `maxMs`: a backup notices a dead master only after three missed adverts.",
    options: {
      schema: {
        type: "object",
        properties: { maxMs: { type: "integer", minimum: 1000, description: "the longest advert interval accepted, in ms" } },
        additionalProperties: false,
      },
      defaults: { maxMs: 3000 },
    },
  },
  scope: "spec",
  check({ spec, report, options }) {
    const cluster = spec.model.cluster!;
    const advertMs = spec.ir.cluster.vrrp.advertIntMs;
    if (advertMs <= options.maxMs) return;
    const backups = spec.ir.cluster.nodes.filter((n) => n.role === "backup");
    const master = spec.ir.cluster.nodes.find((n) => n.role === "master");
    if (backups.length === 0 || !master) return;
    const next = backups.reduce((best, n) => (n.priority > best.priority ? n : best));
    const downMs = 3 * advertMs + Math.floor(((256 - next.priority) * 1000) / 256);
    report({
      span: cluster.advertMs?.span ?? cluster.name.span,
      message: `Adverts every \`${formatMs(advertMs)}\`: when \`${master.name}\` dies, \`${next.name}\` waits about ${seconds(downMs)} (3 missed adverts plus skew) before it takes the VIPs, and clients get no answer meanwhile.`,
      notes: [{ message: `use \`advert 1s\` (Keepalived's default), or at most ${formatMs(options.maxMs)} (the rule's \`maxMs\`)` }],
    });
  },
};
