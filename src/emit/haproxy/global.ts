/** The `global` section. */
import type { IrGlobal } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import type { HaproxyContext } from "./context.js";
import { writeLogs } from "./log.js";
import { writeRaw } from "./raw.js";

/**
 * ```
 * global
 *     log 127.0.0.1 local0 info
 *     maxconn 4096
 *     user haproxy
 *     group haproxy
 *     nbthread 2
 *     chroot /var/lib/haproxy
 *     pidfile /run/haproxy.pid
 *     daemon
 *     stats socket /run/haproxy/admin.sock mode 660 level admin
 * ```
 */
export function writeGlobal(w: ConfigWriter, ctx: HaproxyContext, global: IrGlobal): void {
  w.section("global", () => {
    writeLogs(w, ctx, global.logs);
    if (global.maxconn !== undefined) w.line("maxconn", global.maxconn);
    if (global.user !== undefined) w.line("user", ctx.text(global.user));
    if (global.group !== undefined) w.line("group", ctx.text(global.group));
    if (global.nbthread !== undefined) w.line("nbthread", global.nbthread);
    if (global.chroot !== undefined) w.line("chroot", ctx.text(global.chroot));
    if (global.pidfile !== undefined) w.line("pidfile", ctx.text(global.pidfile));
    if (global.daemon) w.line("daemon");
    if (global.statsSocket) {
      w.line("stats", "socket", ctx.text(global.statsSocket.path), "mode", "660", "level", global.statsSocket.level);
    }
    writeRaw(w, global.raw);
  });
}
