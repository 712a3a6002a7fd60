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
  /** The IR pointer each line was written for (index 0 is line 1). */
  readonly origins: readonly (string | undefined)[];
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
  w.from("/haproxy/global", () => writeGlobal(w, ctx, haproxy.global));
  w.from("/haproxy/defaults", () => writeDefaults(w, ctx, haproxy.defaults));
  const stats = haproxy.stats;
  if (stats) w.from("/haproxy/stats", () => writeStats(w, ctx, stats));
  haproxy.frontends.forEach((frontend, i) => w.from(`/haproxy/frontends/${i}`, () => writeFrontend(w, ctx, frontend)));
  haproxy.listens.forEach((listen, i) => w.from(`/haproxy/listens/${i}`, () => writeListen(w, ctx, listen)));
  haproxy.backends.forEach((backend, i) => w.from(`/haproxy/backends/${i}`, () => writeBackend(w, ctx, backend)));
  return { text: w.text(), origins: w.origins(), envNames: [...ctx.envNames], holdsSecret: ctx.literalSecret };
}
