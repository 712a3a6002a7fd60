/** The vrrp_script that tells Keepalived whether HAProxy is alive. */
import type { SecretValues } from "../types.js";
import { secretValue } from "../secrets.js";
import type { Ir, IrTrack } from "../../ir/types.js";
import { assertNever } from "../../util/internal-error.js";
import { ConfigWriter, shQuoted } from "../config-writer.js";
import { writeHeader } from "../header.js";
import { SCRIPT_PATH } from "./shell.js";

/**
 * With a pidfile:
 * ```
 * #!/bin/sh
 * pidfile='/run/haproxy.pid'
 * pid=$(sed -n 1p "$pidfile" 2>/dev/null)
 * case $pid in ''|0*|*[!0-9]*) exit 1 ;; esac
 * kill -0 "$pid" 2>/dev/null || exit 1
 * exit 0
 * ```
 * Without one: `pidof haproxy >/dev/null || exit 1`. The pid is checked to be a positive number
 * first, since `kill -0 -1` or `kill -0 0` would succeed without HAProxy.
 */
export function emitTrackCheck(ir: Ir, nodeName: string, track: IrTrack, values: SecretValues): string {
  const w = new ConfigWriter();
  w.line("#!/bin/sh");
  writeHeader(w, ir, nodeName);
  w.comment(`vrrp_script ${track.script}: exit 0 while HAProxy is running, 1 when it is not.`);
  w.line(SCRIPT_PATH);
  w.blank();
  switch (track.target) {
    case "haproxy": {
      const pidfile = ir.haproxy.global.pidfile;
      if (pidfile === undefined) {
        w.line("pidof haproxy >/dev/null 2>&1 || exit 1");
      } else {
        // Keepalived runs this script with its own environment, not HAProxy's: the path is written out.
        w.line(`pidfile=${shQuoted(typeof pidfile === "string" ? pidfile : secretValue(pidfile, values))}`);
        w.line(`pid=$(sed -n 1p "$pidfile" 2>/dev/null)`);
        w.line("case $pid in");
        w.line("    ''|0*|*[!0-9]*) exit 1 ;;");
        w.line("esac");
        w.line(`kill -0 "$pid" 2>/dev/null || exit 1`);
      }
      break;
    }
    default:
      assertNever(track.target, "track target");
  }
  w.line("exit 0");
  return w.text();
}
