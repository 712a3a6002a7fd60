/**
 * Reading what `haproxy -c` and `keepalived -t` print. HAProxy 2.6:
 *   [ALERT]    (123) : config : parsing [dir/haproxy.cfg:23] : 'server' …
 *   [WARNING]  (123) : config : [dir/haproxy.cfg:25] : 'server be/s0' : …
 *   [ALERT]    (123) : config : Proxy 'www': unable to find required default_backend: 'x'.
 * Keepalived 2.2:
 *   (dir/keepalived.conf: Line 20) number '300' outside range [1, 255]
 *   Disabling track script chk_haproxy since not found/accessible
 */

export interface DaemonMessage {
  readonly severity: "error" | "warning";
  readonly text: string;
  /** The 1-based line of the generated file, when the daemon names one. */
  readonly line?: number;
  /** A proxy or vrrp_script/instance name the message is about, when it names one instead. */
  readonly subject?: string;
}

export function parseHaproxyOutput(output: string): DaemonMessage[] {
  const messages: DaemonMessage[] = [];
  for (const raw of output.split("\n")) {
    const head = /^\[(ALERT|WARNING)\]\s*\(\d+\)\s*:\s*(?:config\s*:\s*)?(.*)$/.exec(raw.trim());
    if (!head) continue;
    const severity = head[1] === "ALERT" ? "error" : "warning";
    let text = head[2]!;
    const located = /^(?:parsing\s+)?\[[^\]]*:(\d+)\]\s*:\s*(.*)$/.exec(text);
    if (located) {
      text = located[2]!;
      messages.push({ severity, text, line: Number(located[1]) });
      continue;
    }
    // These only summarise the alerts above them.
    if (/^(Fatal errors found in configuration|Error\(s\) found in configuration file)/.test(text)) continue;
    const subject = /(?:Proxy|proxy|backend|frontend|listen)\s+'([^']+)'/.exec(text)?.[1];
    messages.push({ severity, text, ...(subject ? { subject } : {}) });
  }
  return messages;
}

export function parseKeepalivedOutput(output: string): DaemonMessage[] {
  const messages: DaemonMessage[] = [];
  for (const raw of output.split("\n")) {
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    const located = /^\((?:[^)]*:\s*)?Line (\d+)\)\s*(.*)$/.exec(trimmed);
    const text = located ? located[2]! : trimmed;
    const severity = /^WARNING\b|\bwarning\b/i.test(text) ? "warning" : "error";
    if (located) {
      messages.push({ severity, text, line: Number(located[1]) });
      continue;
    }
    const subject = /track script (\S+)/.exec(text)?.[1] ?? /^\(([^)]+)\)/.exec(text)?.[1];
    messages.push({ severity, text, ...(subject ? { subject } : {}) });
  }
  return messages;
}

/**
 * Messages about the machine running the check rather than the configuration (a user, group or
 * interface it lacks): reported as info, since the target nodes may well have them.
 */
export function isEnvironmentDependent(text: string): boolean {
  return /cannot find (user|group) id|unknown (user|group)|interface \S+ .*doesn't exist|No such (file|device)|Unable to set default user|not found\/accessible|cannot (open|access)/i.test(text);
}
