/** The cluster's `vrrp_instance`, as seen from one node. */
import type { IrCluster, IrNode, IrVip } from "../../ir/types.js";
import { assertNever, InternalError } from "../../util/internal-error.js";
import { type ConfigWriter, keepalivedQuoted, keepalivedWord } from "../config-writer.js";
import { secretValue } from "../secrets.js";
import type { SecretValues } from "../types.js";
import { installedScriptPath, NOTIFY_SCRIPT } from "../scripts/paths.js";
import { keepalivedSeconds, keepalivedWholeSeconds } from "./seconds.js";
import { hasWatchScript, watchScriptName } from "./vrrp-watch-script.js";

/**
 * ```
 * vrrp_instance zb {
 *     state MASTER
 *     interface eth0
 *     virtual_router_id 51
 *     priority 100
 *     advert_int 1
 *     nopreempt                       (or: preempt_delay 30)
 *     authentication {
 *         auth_type PASS
 *         auth_pass "secret"
 *     }
 *     unicast_src_ip 192.168.66.11
 *     unicast_peer {
 *         192.168.66.12
 *     }
 *     virtual_ipaddress {
 *         192.168.66.10/24 dev eth0
 *     }
 *     virtual_ipaddress_excluded {
 *         2001:db8::10/64 dev eth0
 *     }
 *     track_script {
 *         chk_haproxy
 *         chk_haproxy_watch
 *     }
 *     smtp_alert
 *     notify "/etc/keepalived/notify.sh"
 * }
 * ```
 * The adverts carry the VIPs of the first VIP's family; the others are `virtual_ipaddress_excluded`.
 * Like the daemon-capability filtering in haproxy/capabilities.ts, what Keepalived 2.2.7 would ignore
 * with a warning (`keepalived -t` then exits 5) is left out, behaving the same: `authentication` of an
 * IPv6 instance ("VRRP version 3 does not support authentication") and the `label` of an IPv6 VIP
 * ("Cannot specify label for IPv6 addresses"). The analyzer should report both to the user.
 * Returns whether the text holds the auth password.
 */
export function writeVrrpInstance(w: ConfigWriter, cluster: IrCluster, node: IrNode, secrets: SecretValues): boolean {
  const { vrrp } = cluster;
  const first = cluster.vips[0];
  if (!first) throw new InternalError("cluster without a VIP");
  w.block(`vrrp_instance ${cluster.name}`, () => {
    const nodePointer = `/cluster/nodes/${cluster.nodes.indexOf(node)}`;
    w.from(nodePointer, () => {
      w.line("state", node.initialState);
      w.line("interface", keepalivedWord(node.interface));
    });
    w.from("vrrp/vrid", () => w.line("virtual_router_id", vrrp.vrid));
    w.from(nodePointer, () => w.line("priority", node.priority));
    w.from("vrrp/advertIntMs", () => w.line("advert_int", keepalivedWholeSeconds(vrrp.advertIntMs)));
    switch (vrrp.preempt.mode) {
      case "on":
        break;
      case "off":
        w.line("nopreempt");
        break;
      case "delay":
        w.line("preempt_delay", keepalivedSeconds(vrrp.preempt.delayMs));
        break;
      default:
        assertNever(vrrp.preempt, "preempt");
    }
    if (vrrp.auth && first.family === 4) {
      const pass = secretValue(vrrp.auth, secrets);
      w.from("vrrp/auth", () => w.block("authentication", () => {
        w.line("auth_type", "PASS");
        w.line("auth_pass", keepalivedQuoted(pass));
      }));
    }
    if (vrrp.transport === "unicast") {
      w.line("unicast_src_ip", node.address);
      w.block("unicast_peer", () => {
        for (const peer of cluster.nodes) if (peer.name !== node.name) w.line(peer.address);
      });
    }
    const own = cluster.vips.filter((vip) => vip.family === first.family);
    const other = cluster.vips.filter((vip) => vip.family !== first.family);
    writeVips(w, "virtual_ipaddress", own, node, cluster.vips);
    if (other.length > 0) writeVips(w, "virtual_ipaddress_excluded", other, node, cluster.vips);
    if (cluster.tracks.length > 0) {
      w.block("track_script", () => {
        for (const track of cluster.tracks) {
          w.line(track.script);
          if (hasWatchScript(track)) w.line(watchScriptName(track));
        }
      });
    }
    if (cluster.notify.email) w.line("smtp_alert");
    if (cluster.notify.exec.length > 0) w.line("notify", keepalivedQuoted(installedScriptPath(cluster, NOTIFY_SCRIPT)));
  });
  return vrrp.auth !== null && first.family === 4;
}

/** `ADDR/PREFIX dev IFACE [label LABEL]` per VIP. */
function writeVips(w: ConfigWriter, block: string, vips: readonly IrVip[], node: IrNode, all: readonly IrVip[]): void {
  w.block(block, () => {
    for (const vip of vips) w.from(`vips/${all.indexOf(vip)}`, () => {
      const words = [`${vip.address}/${vip.prefix}`, "dev", keepalivedWord(vip.dev ?? node.interface)];
      if (vip.label !== undefined && vip.family === 4) words.push("label", keepalivedWord(vip.label));
      w.line(...words);
    });
  });
}
