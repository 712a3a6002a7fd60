/** The directives every proxy section shares. */
import type { IrProxyCommon } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import type { HaproxyContext } from "./context.js";
import { writeLogs } from "./log.js";
import { writeTimeouts } from "./timeouts.js";

/**
 * ```
 * mode http
 * maxconn 2000
 * log global
 * option httplog
 * timeout client 30s
 * retries 3
 * ```
 * The analyzer allowed each directive only in the sections HAProxy honours it in
 * (src/analyze/options.ts, proxy-settings.ts), so the IR is written as it is.
 */
export function writeProxyCommon(w: ConfigWriter, ctx: HaproxyContext, proxy: IrProxyCommon): void {
  w.line("mode", proxy.mode);
  if (proxy.maxconn !== undefined) w.line("maxconn", proxy.maxconn);
  writeLogs(w, ctx, proxy.logs);
  for (const option of proxy.options) w.line("option", option);
  writeTimeouts(w, proxy.timeouts);
  if (proxy.retries !== undefined) w.line("retries", proxy.retries);
}
