/** `log global` | `log ADDRESS FACILITY [LEVEL [MINLEVEL]]`, as HAProxy writes it. */
import type { IrLog } from "../ir/types.js";
import type { ArgReader } from "./args.js";

const facilities = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
  "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
] as const;
const levels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;

export function readLog(args: ArgReader, allowGlobal: boolean): IrLog | undefined {
  if (allowGlobal && args.peekWord() === "global") {
    args.next();
    args.end();
    return { global: true };
  }
  const address = args.textRef(allowGlobal ? "`global` or a syslog address such as `127.0.0.1`" : "a syslog address such as `127.0.0.1`");
  if (!address) return undefined;
  const facility = args.oneOf(facilities, "a syslog facility such as `local0`");
  if (!facility) return undefined;
  let log: IrLog = { address: address.value, facility: facility.value };
  if (!args.done) {
    const level = args.oneOf(levels, "a level such as `info`");
    if (!level) return undefined;
    log = { ...log, level: level.value };
    if (!args.done) {
      const minLevel = args.oneOf(levels, "a minimum level such as `notice`");
      if (!minLevel) return undefined;
      log = { ...log, minLevel: minLevel.value };
    }
  }
  args.end();
  return log;
}
