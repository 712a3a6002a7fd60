/** Timeouts, in a fixed order whatever order the spec wrote them in. */
import { TIMEOUT_KINDS, type IrTimeouts } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import { haproxyDuration } from "./duration.js";


/**
 * `timeout connect 5s` …; which section may hold which timeout was decided by the analyzer
 * (src/analyze/sections/proxy-settings.ts), so every one in the IR is written.
 */
export function writeTimeouts(w: ConfigWriter, timeouts: IrTimeouts): void {
  for (const timeout of TIMEOUT_KINDS) {
    const ms = timeouts[timeout];
    if (ms !== undefined) w.line("timeout", timeout, haproxyDuration(ms));
  }
}
