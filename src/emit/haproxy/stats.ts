/** The statistics page, as its own `listen` section. */
import type { IrStats } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import { writeBinds } from "./bind.js";
import type { HaproxyContext } from "./context.js";
import { haproxyDuration } from "./duration.js";
import { writeLogs } from "./log.js";
import { writeRaw } from "./raw.js";

/**
 * ```
 * listen stats
 *     bind 0.0.0.0:19088
 *     mode http
 *     log 127.0.0.1 local0 err
 *     stats enable
 *     stats uri /haproxy-status
 *     stats realm "welcome login Haproxy"
 *     stats auth "admin:${STATS_PASS}"
 *     stats refresh 30s
 *     stats hide-version
 *     stats admin if TRUE
 * ```
 * An env password stays `${NAME}`: HAProxy expands it inside double quotes (verified on 2.6, any value).
 */
export function writeStats(w: ConfigWriter, ctx: HaproxyContext, stats: IrStats): void {
  w.section(`listen ${stats.name}`, () => {
    writeBinds(w, stats.binds, ctx.node);
    w.line("mode", "http");
    writeLogs(w, ctx, stats.logs);
    w.line("stats", "enable");
    w.line("stats", "uri", ctx.text(stats.uri));
    if (stats.realm !== undefined) w.line("stats", "realm", ctx.quotedText(stats.realm));
    for (const auth of stats.auth) w.line("stats", "auth", ctx.quotedAuth(auth.user, auth.password));
    if (stats.refreshMs !== undefined) w.line("stats", "refresh", haproxyDuration(stats.refreshMs));
    if (stats.hideVersion) w.line("stats", "hide-version");
    if (stats.admin) w.line("stats", "admin", "if", "TRUE");
    writeRaw(w, stats.raw);
  });
}
