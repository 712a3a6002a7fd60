/** Log targets. */
import type { IrLog } from "../../ir/types.js";
import { InternalError } from "../../util/internal-error.js";
import { type ConfigWriter, haproxyWord } from "../config-writer.js";
import type { HaproxyContext } from "./context.js";

/** `log global` or `log 127.0.0.1 local0 info [MINLEVEL]`, one line per target, in IR order. */
export function writeLogs(w: ConfigWriter, ctx: HaproxyContext, logs: readonly IrLog[]): void {
  for (const log of logs) {
    if ("global" in log) {
      w.line("log", "global");
      continue;
    }
    if (log.minLevel !== undefined && log.level === undefined) throw new InternalError("log minLevel without level");
    const levels = [log.facility, log.level, log.minLevel].filter((x): x is string => x !== undefined);
    w.line("log", ctx.text(log.address), ...levels.map(haproxyWord));
  }
}
