/**
 * keepalived.conf for one node: global_defs, one vrrp_script per track (and its fast watch for an
 * unweighted one), the vrrp_instance.
 * Nodes differ only in router_id, state, priority, interface and unicast source/peers.
 */
import type { Ir, IrNode } from "../../ir/types.js";
import { ConfigWriter } from "../config-writer.js";
import { writeHeader } from "../header.js";
import type { SecretValues } from "../types.js";
import { writeGlobalDefs } from "./global-defs.js";
import { writeVrrpInstance } from "./vrrp-instance.js";
import { writeVrrpScript } from "./vrrp-script.js";
import { hasWatchScript, writeVrrpWatchScript } from "./vrrp-watch-script.js";

export interface KeepalivedConfig {
  readonly text: string;
  /** The IR pointer each line was written for (index 0 is line 1). */
  readonly origins: readonly (string | undefined)[];
  /** Holds `auth_pass`: Keepalived cannot read the environment, so the value is written and the file is 0600. */
  readonly holdsSecret: boolean;
}

export function emitKeepalivedConfig(ir: Ir, node: IrNode, secrets: SecretValues): KeepalivedConfig {
  const w = new ConfigWriter();
  writeHeader(w, ir, node.name);
  w.blank();
  const nodePointer = `/cluster/nodes/${ir.cluster.nodes.indexOf(node)}`;
  w.from(nodePointer, () => writeGlobalDefs(w, ir.cluster, node));
  ir.cluster.tracks.forEach((track, i) => {
    w.blank();
    w.from(`/cluster/tracks/${i}`, () => writeVrrpScript(w, ir.cluster, track));
    if (hasWatchScript(track)) {
      w.blank();
      w.from(`/cluster/tracks/${i}`, () => writeVrrpWatchScript(w, ir.cluster, track));
    }
  });
  w.blank();
  let holdsSecret = false;
  w.from("/cluster", () => (holdsSecret = writeVrrpInstance(w, ir.cluster, node, secrets)));
  return { text: w.text(), origins: w.origins(), holdsSecret };
}
