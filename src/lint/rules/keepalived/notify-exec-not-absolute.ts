import { SCRIPT_PATH } from "../../../emit/scripts/shell.js";
import { listText } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * notify.sh runs each `notify exec` command with Keepalived's environment, not the operator's: a
 * bare program name is looked up only in the fixed PATH halb writes into the script, and a relative
 * path is taken from Keepalived's working directory. A command not found is only logged.
 */
export const notifyExecNotAbsolute: SpecRule = {
  meta: {
    id: "KA011",
    name: "notify-exec-not-absolute",
    category: "keepalived",
    severity: "warning",
    summary: "A `notify exec` command whose program is not an absolute path.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const command of spec.model.cluster!.notifyExec) {
      const program = programOf(command.value);
      if (program === undefined || program.startsWith("/") || SHELL_BUILTINS.has(program)) continue;
      report({
        span: command.span,
        message: program.includes("/")
          ? `\`notify exec\` runs \`${program}\` relative to the directory Keepalived runs in (\`/\` under systemd), not to the spec: it is not found, and the notification is lost with only a log line.`
          : `\`notify exec\` runs \`${program}\` by name: notify.sh looks it up only in ${FIXED_PATH}, not in your shell's PATH, and if it is elsewhere every notification is lost with only a log line.`,
        notes: [{ message: "write the program's absolute path, such as `/usr/local/bin/page-oncall`" }],
      });
    }
  },
};

/** The PATH notify.sh sets, as a readable list. */
const FIXED_PATH = listText((/^PATH=([^;]+)/.exec(SCRIPT_PATH)?.[1] ?? "").split(":"));

/** Words that are not programs looked up in PATH. */
const SHELL_BUILTINS = new Set([":", ".", "[", "echo", "printf", "test", "true", "false", "eval", "set", "export", "cd", "read", "wait", "trap", "exit", "umask", "ulimit", "kill"]);

/** Prefixes that run the next word as the program. */
const WRAPPERS = new Set(["exec", "command", "nohup", "env"]);

/** The program a shell command line runs: the first word after `VAR=value` assignments and wrappers. Undefined when it cannot be told (a variable). */
function programOf(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || WRAPPERS.has(words[i]!))) i++;
  const word = words[i]?.replace(/^["']|["']$/g, "");
  if (!word || word.startsWith("$") || word.startsWith("`")) return undefined;
  return word;
}
