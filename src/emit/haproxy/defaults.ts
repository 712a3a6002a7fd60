/** The `defaults` section. */
import type { IrDefaults } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import type { HaproxyContext } from "./context.js";
import { writeLogs } from "./log.js";
import { writeRaw } from "./raw.js";
import { writeTimeouts } from "./timeouts.js";

/**
 * ```
 * defaults
 *     mode http
 *     log global
 *     retries 3
 *     maxconn 2000
 *     timeout connect 5s
 *     timeout client 30s
 *     option redispatch
 * ```
 */
export function writeDefaults(w: ConfigWriter, ctx: HaproxyContext, defaults: IrDefaults): void {
  w.section("defaults", () => {
    w.line("mode", defaults.mode);
    writeLogs(w, ctx, defaults.logs);
    if (defaults.retries !== undefined) w.line("retries", defaults.retries);
    if (defaults.maxconn !== undefined) w.line("maxconn", defaults.maxconn);
    writeTimeouts(w, defaults.timeouts);
    for (const option of defaults.options) w.line("option", option);
    writeRaw(w, defaults.raw);
  });
}
