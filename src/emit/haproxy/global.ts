/** The `global` section. */
import type { IrGlobal } from "../../ir/types.js";
import { type ConfigWriter, haproxyWord } from "../config-writer.js";
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
export function writeGlobal(w: ConfigWriter, global: IrGlobal): void {
  w.section("global", () => {
    writeLogs(w, global.logs);
    if (global.maxconn !== undefined) w.line("maxconn", global.maxconn);
    if (global.user !== undefined) w.line("user", haproxyWord(global.user));
    if (global.group !== undefined) w.line("group", haproxyWord(global.group));
    if (global.nbthread !== undefined) w.line("nbthread", global.nbthread);
    if (global.chroot !== undefined) w.line("chroot", haproxyWord(global.chroot));
    if (global.pidfile !== undefined) w.line("pidfile", haproxyWord(global.pidfile));
    if (global.daemon) w.line("daemon");
    if (global.statsSocket) {
      w.line("stats", "socket", haproxyWord(global.statsSocket.path), "mode", "660", "level", global.statsSocket.level);
    }
    writeRaw(w, global.raw);
  });
}
