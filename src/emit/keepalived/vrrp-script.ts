/** One `vrrp_script` per tracked check. */
import type { IrCluster, IrTrack } from "../../ir/types.js";
import { type ConfigWriter, keepalivedQuoted } from "../config-writer.js";
import { installedScriptPath, trackScriptFile } from "../scripts/paths.js";
import { keepalivedWholeSeconds } from "./seconds.js";

/**
 * ```
 * vrrp_script haproxy {
 *     script "/etc/keepalived/chk_haproxy.sh"
 *     interval 2
 *     timeout 2
 *     fall 2
 *     rise 2
 *     weight -20
 * }
 * ```
 * Without `weight`, a failing check puts the instance in FAULT: the fastest failover.
 */
export function writeVrrpScript(w: ConfigWriter, cluster: IrCluster, track: IrTrack): void {
  w.block(`vrrp_script ${track.script}`, () => {
    w.line("script", keepalivedQuoted(installedScriptPath(cluster, trackScriptFile(track))));
    w.line("interval", keepalivedWholeSeconds(track.intervalMs));
    w.line("timeout", keepalivedWholeSeconds(track.timeoutMs));
    w.line("fall", track.fall);
    w.line("rise", track.rise);
    if (track.weight !== null) w.line("weight", track.weight);
  });
}
