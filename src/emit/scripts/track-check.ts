/** The vrrp_script that tells Keepalived whether HAProxy is alive. */
import type { SecretValues } from "../types.js";
import { secretValue } from "../secrets.js";
import type { Ir, IrTrack } from "../../ir/types.js";
import { assertNever } from "../../util/internal-error.js";
import { ConfigWriter, shQuoted } from "../config-writer.js";
import { writeHeader } from "../header.js";
import { SCRIPT_PATH } from "./shell.js";
import { WATCH_ARGUMENT } from "../keepalived/vrrp-watch-script.js";

/**
 * With a pidfile:
 * ```
 * #!/bin/sh
 * pidfile='/run/haproxy.pid'
 * alive() {
 *     pid=$(sed -n 1p "$pidfile" 2>/dev/null)
 *     case $pid in ''|0*|*[!0-9]*) return 1 ;; esac
 *     kill -0 "$pid" 2>/dev/null
 * }
 * if [ "$1" = watch ]; then
 *     n=0
 *     while [ "$n" -lt 9 ]; do
 *         alive || exit 1
 *         sleep 0.1
 *         n=$((n + 1))
 *     done
 * fi
 * alive || exit 1
 * exit 0
 * ```
 * Without one, `alive` is `pidof haproxy`. The pid is checked to be a positive number first,
 * since `kill -0 -1` or `kill -0 0` would succeed without HAProxy. With `watch` (the fast
 * vrrp_script of an unweighted track, run every second) it keeps looking for 0.9 s and fails the
 * moment HAProxy is gone; the pidfile is read each time, so a reload's new process is followed.
 */
export function emitTrackCheck(ir: Ir, nodeName: string, track: IrTrack, values: SecretValues): string {
  const w = new ConfigWriter();
  w.line("#!/bin/sh");
  writeHeader(w, ir, nodeName);
  w.comment(`vrrp_script ${track.script}: exit 0 while HAProxy is running, 1 when it is not.`);
  w.comment(`With "${WATCH_ARGUMENT}" (vrrp_script ${track.script}_watch): keep looking for 0.9 s, exit 1 the moment it is gone.`);
  w.line(SCRIPT_PATH);
  w.blank();
  switch (track.target) {
    case "haproxy": {
      const pidfile = ir.haproxy.global.pidfile;
      if (pidfile === undefined) {
        w.line("alive() {");
        w.line("    pidof haproxy >/dev/null 2>&1");
        w.line("}");
      } else {
        // Keepalived runs this script with its own environment, not HAProxy's: the path is written out.
        w.line(`pidfile=${shQuoted(typeof pidfile === "string" ? pidfile : secretValue(pidfile, values))}`);
        w.line("alive() {");
        w.line(`    pid=$(sed -n 1p "$pidfile" 2>/dev/null)`);
        w.line("    case $pid in");
        w.line("        ''|0*|*[!0-9]*) return 1 ;;");
        w.line("    esac");
        w.line(`    kill -0 "$pid" 2>/dev/null`);
        w.line("}");
      }
      break;
    }
    default:
      assertNever(track.target, "track target");
  }
  w.line(`if [ "$1" = ${WATCH_ARGUMENT} ]; then`);
  w.line("    n=0");
  w.line(`    while [ "$n" -lt ${WATCH_POLLS} ]; do`);
  w.line("        alive || exit 1");
  w.line(`        sleep ${WATCH_POLL_SECONDS}`);
  w.line("        n=$((n + 1))");
  w.line("    done");
  w.line("fi");
  w.line("alive || exit 1");
  w.line("exit 0");
  return w.text();
}

/** The watch looks every 0.1 s for 0.9 s: well inside its 2 s timeout and its 1 s interval. */
const WATCH_POLLS = 9;
const WATCH_POLL_SECONDS = "0.1";
