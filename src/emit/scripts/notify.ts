/** notify.sh: Keepalived's `notify` script, which runs the spec's `notify exec` commands. */
import type { Ir } from "../../ir/types.js";
import { ConfigWriter, shQuoted } from "../config-writer.js";
import { writeHeader } from "../header.js";
import { SCRIPT_PATH } from "./shell.js";

/**
 * ```
 * #!/bin/sh
 * # keepalived calls: notify.sh INSTANCE|GROUP NAME MASTER|BACKUP|FAULT|STOP PRIORITY
 * run() { … sh -c "$1 \"\$@\"" halb-notify "$@" … }
 * run '/usr/local/bin/page-oncall --team ops' "$@"
 * exit 0
 * ```
 * Each command is a shell command line written in the spec, single-quoted here so that nothing in it
 * can break this script; `sh -c` then reads it as the operator wrote it, with Keepalived's four
 * arguments appended. A missing or failing command is logged (stderr and syslog) and the next one
 * still runs; the script always exits 0.
 */
export function emitNotifyScript(ir: Ir, nodeName: string): string {
  const w = new ConfigWriter();
  w.line("#!/bin/sh");
  writeHeader(w, ir, nodeName);
  w.comment("Keepalived calls it on every state change: notify.sh INSTANCE|GROUP NAME MASTER|BACKUP|FAULT|STOP PRIORITY");
  w.comment("It runs each `notify exec` command of the spec, in order, with those arguments appended.");
  w.line(SCRIPT_PATH);
  w.blank();
  w.line("log() {");
  w.line('    echo "halb notify: $*" >&2');
  w.line('    logger -t halb-notify -- "$*" 2>/dev/null || :');
  w.line("}");
  w.blank();
  w.line("run() {");
  w.line("    cmd=$1");
  w.line("    shift");
  w.line(`    sh -c "$cmd \\"\\$@\\"" halb-notify "$@"`);
  w.line("    status=$?");
  w.line('    if [ "$status" -ne 0 ]; then');
  w.line('        log "exit $status from: $cmd $*"');
  w.line("    fi");
  w.line("}");
  w.blank();
  for (const command of ir.cluster.notify.exec) w.line("run", shQuoted(command), '"$@"');
  w.line("exit 0");
  return w.text();
}
