/**
 * keepalived.conf for one node: global_defs, one vrrp_script per track, the vrrp_instance.
 * Nodes differ only in router_id, state, priority, interface and unicast source/peers.
 */
import type { Ir, IrNode } from "../../ir/types.js";
import { ConfigWriter } from "../config-writer.js";
import { writeHeader } from "../header.js";
import type { SecretValues } from "../types.js";
import { writeGlobalDefs } from "./global-defs.js";
import { writeVrrpInstance } from "./vrrp-instance.js";
import { writeVrrpScript } from "./vrrp-script.js";

export interface KeepalivedConfig {
  readonly text: string;
  /** Holds `auth_pass`: Keepalived cannot read the environment, so the value is written and the file is 0600. */
  readonly holdsSecret: boolean;
}

export function emitKeepalivedConfig(ir: Ir, node: IrNode, secrets: SecretValues): KeepalivedConfig {
  const w = new ConfigWriter();
  writeHeader(w, ir, node.name);
  w.blank();
  writeGlobalDefs(w, ir.cluster, node);
  for (const track of ir.cluster.tracks) {
    w.blank();
    writeVrrpScript(w, ir.cluster, track);
  }
  w.blank();
  const holdsSecret = writeVrrpInstance(w, ir.cluster, node, secrets);
  return { text: w.text(), holdsSecret };
}
