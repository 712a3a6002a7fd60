/** File names of the generated scripts, next to the configs in OUT/<node>/, and where keepalived.conf finds them. */
import type { IrCluster, IrTrack } from "../../ir/types.js";

export const NOTIFY_SCRIPT = "notify.sh";

/** `haproxy.sh` for `vrrp_script haproxy`. */
export function trackScriptFile(track: IrTrack): string {
  return `${track.script}.sh`;
}

/** `/etc/keepalived/chk_haproxy.sh`: the installed location, under the cluster's scriptsDir. */
export function installedScriptPath(cluster: IrCluster, file: string): string {
  return `${cluster.scriptsDir.replace(/\/+$/, "")}/${file}`;
}
