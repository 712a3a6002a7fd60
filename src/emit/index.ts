/**
 * The emitters: IR → the files of every node. Pure and deterministic: no file system, clock,
 * environment or randomness; secret values come in as `SecretValues`.
 */
import type { Ir, IrNode } from "../ir/types.js";
import { InternalError } from "../util/internal-error.js";
import { emitHaproxyConfig } from "./haproxy/index.js";
import { emitHaproxyEnv } from "./haproxy-env.js";
import { emitKeepalivedConfig } from "./keepalived/index.js";
import { emitNotifyScript } from "./scripts/notify.js";
import { NOTIFY_SCRIPT, trackScriptFile } from "./scripts/paths.js";
import { emitTrackCheck } from "./scripts/track-check.js";
import { emitSysctl } from "./sysctl.js";
import type { EmittedFile, SecretValues } from "./types.js";

export type { EmittedFile, SecretValues } from "./types.js";

export const PUBLIC_MODE = 0o644;
export const SECRET_MODE = 0o600;
export const SCRIPT_MODE = 0o755;

/**
 * One node's files, in this order: haproxy.cfg, keepalived.conf, the track scripts, notify.sh,
 * 99-halb.sysctl.conf, haproxy.env (only when haproxy.cfg expands environment variables).
 */
export function emitNode(ir: Ir, nodeName: string, secrets: SecretValues): EmittedFile[] {
  const node = ir.cluster.nodes.find((n) => n.name === nodeName);
  if (!node) throw new InternalError(`no node ${nodeName} in the IR`);
  return emitFor(ir, node, secrets);
}

/** Every node's files, nodes in IR order. */
export function emitAll(ir: Ir, secrets: SecretValues): EmittedFile[] {
  return ir.cluster.nodes.flatMap((node) => emitFor(ir, node, secrets));
}

function emitFor(ir: Ir, node: IrNode, secrets: SecretValues): EmittedFile[] {
  const file = (name: string, contents: string, mode: number): EmittedFile => ({ path: `${node.name}/${name}`, contents, mode });
  const haproxy = emitHaproxyConfig(ir, node);
  const keepalived = emitKeepalivedConfig(ir, node, secrets);
  const files = [
    file("haproxy.cfg", haproxy.text, haproxy.holdsSecret ? SECRET_MODE : PUBLIC_MODE),
    file("keepalived.conf", keepalived.text, keepalived.holdsSecret ? SECRET_MODE : PUBLIC_MODE),
    ...ir.cluster.tracks.map((track) => file(trackScriptFile(track), emitTrackCheck(ir, node.name, track, secrets), SCRIPT_MODE)),
  ];
  if (ir.cluster.notify.exec.length > 0) files.push(file(NOTIFY_SCRIPT, emitNotifyScript(ir, node.name), SCRIPT_MODE));
  files.push(file("99-halb.sysctl.conf", emitSysctl(ir, node.name), PUBLIC_MODE));
  if (haproxy.envNames.length > 0) files.push(file("haproxy.env", emitHaproxyEnv(ir, node.name, haproxy.envNames, secrets), SECRET_MODE));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new InternalError(`two generated files at ${f.path}`);
    seen.add(f.path);
  }
  return files;
}
