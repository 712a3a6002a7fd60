import type { AnyRule } from "../../rule.js";
import { backupPriorityTie } from "./backup-priority-tie.js";
import { bindOnForeignAddress } from "./bind-on-foreign-address.js";
import { noHaproxyTracking } from "./no-haproxy-tracking.js";
import { nodeInterfaceDiffers } from "./node-interface-differs.js";
import { nopreemptWithWeightedTracking } from "./nopreempt-with-weighted-tracking.js";
import { preemptFlapping } from "./preempt-flapping.js";
import { redundantWeightedTrack } from "./redundant-weighted-track.js";
import { serverOnLbNode } from "./server-on-lb-node.js";
import { serviceNotOnVip } from "./service-not-on-vip.js";
import { singleNodeCluster } from "./single-node-cluster.js";
import { statsOnVipOnly } from "./stats-on-vip-only.js";
import { trackWithoutPidfile } from "./track-without-pidfile.js";
import { vipNotServed } from "./vip-not-served.js";
import { vipOutsideNodeSubnet } from "./vip-outside-node-subnet.js";
import { vridReusedAcrossSpecs } from "./vrid-reused-across-specs.js";
import { weightCannotFailover } from "./weight-cannot-failover.js";
import { weightedFailoverSlow } from "./weighted-failover-slow.js";

/** Pair and failover rules (PAIRnnn), in id order. */
export const pairRules: readonly AnyRule[] = [
  weightCannotFailover,
  nopreemptWithWeightedTracking,
  noHaproxyTracking,
  vipOutsideNodeSubnet,
  vridReusedAcrossSpecs,
  backupPriorityTie,
  singleNodeCluster,
  vipNotServed,
  bindOnForeignAddress,
  serviceNotOnVip,
  serverOnLbNode,
  redundantWeightedTrack,
  nodeInterfaceDiffers,
  preemptFlapping,
  trackWithoutPidfile,
  weightedFailoverSlow,
  statsOnVipOnly,
];
