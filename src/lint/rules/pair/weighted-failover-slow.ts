import type { IrCluster } from "../../../ir/types.js";
import { formatMs, seconds } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { keyValueSpan } from "../../statements.js";

/**
 * A weighted track only lowers the master's priority; the master keeps advertising, and a backup
 * waits for its master-down interval (3 × advert + skew) after the last higher-priority advert
 * before it takes over. A track without weight puts the master in FAULT: it advertises priority
 * 0 and the backup takes over after its skew alone. Measured on Keepalived 2.2.7: 3.7s against
 * 0.95s with `advert 1s`, `every 1s fall 1`.
 */
export const weightedFailoverSlow: SpecRule = {
  meta: {
    id: "PAIR016",
    name: "weighted-failover-slow",
    category: "pair",
    severity: "info",
    summary: "A weighted track: the backup takes over only after its master-down interval, seconds slower than FAULT (a track without weight).",
  },
  scope: "spec",
  check({ spec, report }) {
    const { cluster } = spec.ir;
    const tracks = spec.model.cluster!.tracks;
    // With a FAULT track beside it the weight decides nothing (PAIR012); with nopreempt it never moves the VIPs (PAIR002).
    if (tracks.some((t) => t.weight === null) || cluster.vrrp.preempt.mode === "off") return;
    const backup = bestBackup(cluster);
    if (!backup) return;
    const skew = skewMs(cluster, backup.priority);
    const down = 3 * cluster.vrrp.advertIntMs + skew;
    const delay = cluster.vrrp.preempt.mode === "delay" ? cluster.vrrp.preempt.delayMs : 0;
    for (const track of tracks) {
      if (track.weight === null) continue;
      report({
        span: keyValueSpan(spec, track.span, "weight") ?? track.span,
        message: `With \`weight ${track.weight}\` a dead HAProxy only lowers the master's priority: \`${backup.name}\` takes the VIPs only after its master-down interval of about ${seconds(down)} (3 × advert ${formatMs(cluster.vrrp.advertIntMs)} + skew ${seconds(skew)})${delay ? ` and the preempt delay of ${formatMs(delay)}` : ""}, where a track without weight (FAULT) hands them over after about ${seconds(skew)}.`,
        notes: [{ message: "leave out `weight` for the fastest failover; keep weights only when several checks must add up" }],
      });
    }
  },
};

function bestBackup(cluster: IrCluster) {
  return cluster.nodes.filter((n) => n.role === "backup").sort((a, b) => b.priority - a.priority)[0];
}

/** Keepalived's skew: (256 − priority)/256 of a second for VRRPv2 (IPv4), of an advert for VRRPv3 (IPv6). */
function skewMs(cluster: IrCluster, priority: number): number {
  const unit = cluster.vips[0]!.family === 4 ? 1000 : cluster.vrrp.advertIntMs;
  return Math.round(((256 - priority) * unit) / 256);
}
