/**
 * haproxy.cfg for one node.
 *
 * Section order: global, defaults, the stats `listen`, frontends, listens, backends (each list in
 * IR order). Directive order inside a proxy section, always the same whatever the spec's order:
 *   bind → mode → maxconn → log → option → timeout (connect client server check http-request
 *   http-keep-alive queue tunnel) → retries → acl → use_backend → default_backend → balance →
 *   cookie → option httpchk / http-check send / http-check expect → server → raw lines last.
 * The file is the same on every node except for `bind node:PORT` lines.
 */
import type { Ir, IrNode } from "../../ir/types.js";
import { ConfigWriter } from "../config-writer.js";
import { writeHeader } from "../header.js";
import { writeBackend, writeListen } from "./backend.js";
import { HaproxyContext } from "./context.js";
import { writeDefaults } from "./defaults.js";
import { writeFrontend } from "./frontend.js";
import { writeGlobal } from "./global.js";
import { writeStats } from "./stats.js";

export interface HaproxyConfig {
  readonly text: string;
  /** Environment variables HAProxy must be started with (haproxy.env), in order of first use. */
  readonly envNames: readonly string[];
  /** A secret's value is written in the file: it must be 0600. */
  readonly holdsSecret: boolean;
}

export function emitHaproxyConfig(ir: Ir, node: IrNode): HaproxyConfig {
  const w = new ConfigWriter();
  const ctx = new HaproxyContext(ir, node);
  writeHeader(w, ir, node.name);
  w.blank();
  const { haproxy } = ir;
  writeGlobal(w, ctx, haproxy.global);
  writeDefaults(w, ctx, haproxy.defaults);
  if (haproxy.stats) writeStats(w, ctx, haproxy.stats);
  for (const frontend of haproxy.frontends) writeFrontend(w, ctx, frontend);
  for (const listen of haproxy.listens) writeListen(w, ctx, listen);
  for (const backend of haproxy.backends) writeBackend(w, ctx, backend);
  return { text: w.text(), envNames: [...ctx.envNames], holdsSecret: ctx.literalSecret };
}
