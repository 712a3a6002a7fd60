/**
 * The fast path of an unweighted `track haproxy`: a second vrrp_script, run every second, whose
 * check keeps looking at HAProxy for 0.9 s and fails the moment it is gone. A failure puts the
 * instance in FAULT at once (priority 0), so the backup holds the VIP about its skew time later:
 * under a second, where the spec's own check (`every 2s fall 2`) would take up to 4 s. Keepalived's
 * process tracking would be instant but is refused inside PID namespaces (containers), so a
 * script it is. A weighted track keeps its script only: the weight must count once.
 */
import type { IrCluster, IrTrack } from "../../ir/types.js";
import { type ConfigWriter, keepalivedQuoted } from "../config-writer.js";
import { installedScriptPath, trackScriptFile } from "../scripts/paths.js";

/** The argument that makes the track's check script watch instead of look once. */
export const WATCH_ARGUMENT = "watch";

/**
 * ```
 * vrrp_script chk_haproxy_watch {
 *     script "/etc/keepalived/chk_haproxy.sh watch"
 *     interval 1
 *     timeout 2
 *     fall 1
 *     rise 1
 * }
 * ```
 */
export function writeVrrpWatchScript(w: ConfigWriter, cluster: IrCluster, track: IrTrack): void {
  w.block(`vrrp_script ${watchScriptName(track)}`, () => {
    w.line("script", keepalivedQuoted(`${installedScriptPath(cluster, trackScriptFile(track))} ${WATCH_ARGUMENT}`));
    w.line("interval", 1);
    // The watch lasts 0.9 s: a timeout of 1 s could kill a healthy watch on a busy machine.
    w.line("timeout", 2);
    w.line("fall", 1);
    w.line("rise", 1);
  });
}

/** Tracks that get the watch besides their own script: unweighted ones (a failure means FAULT). */
export function hasWatchScript(track: IrTrack): boolean {
  return track.target === "haproxy" && track.weight === null;
}

export function watchScriptName(track: IrTrack): string {
  return `${track.script}_watch`;
}
