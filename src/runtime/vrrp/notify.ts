/**
 * What a state change tells the world, as the compiled pair does it: Keepalived calls halb's
 * notify.sh (`notify "<scriptsDir>/notify.sh"` in keepalived.conf), which runs each `notify exec`
 * command in order with Keepalived's four arguments appended, and, with `smtp_alert`, Keepalived
 * mails the `notification_email` addresses through `smtp_server`.
 *
 * Commands: a command that is just the path of an executable file is executed directly; anything
 * else goes through `/bin/sh -c '<command> "$@"'` exactly as notify.sh runs it, so quoting,
 * variables and pipes mean what the operator wrote. Arguments appended: `INSTANCE <name>
 * MASTER|BACKUP|FAULT|STOP <effective priority>`. Like Keepalived, commands run in their own
 * process group and are not waited for, except on STOP, where Keepalived waits 1 s and then kills
 * the group. A failing or missing command is logged (as notify.sh logs it) and the next one runs.
 *
 * Mail: Keepalived's own text (vrrp_notify.c `vrrp_smtp_notifier`, smtp.c): subject
 * `[<router_id>] VRRP Instance <name> - Entering MASTER state`, one body line, From
 * `notification_email_from`, To every address, plain SMTP (no STARTTLS, no AUTH), 30 s
 * timeouts (`smtp_connect_timeout 30`, which halb writes). Failures are logged, never thrown.
 */
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import nodemailer from "nodemailer";
import type { IrCluster, IrNode, IrNotify, IrNotifyEmail } from "../../ir/types.js";

export type NotifyState = "MASTER" | "BACKUP" | "FAULT" | "STOP";

export interface StateChange {
  /** The vrrp_instance name: see instanceNameOf. */
  readonly instance: string;
  readonly state: NotifyState;
  /** The effective priority (with track weights), as Keepalived passes it. */
  readonly priority: number;
}

export interface NotifyOptions {
  /** Keepalived's router_id, the mail subject's `[…]`: see routerIdOf. */
  readonly routerId: string;
  readonly log?: (line: string) => void;
  /** smtp_connect_timeout, used for connecting and each SMTP exchange (default 30 s, what halb writes). */
  readonly smtpTimeoutMs?: number;
  /** How long STOP waits for the commands before killing them (Keepalived: 1 s). */
  readonly stopTimeoutMs?: number;
}

export interface StateNotification {
  /**
   * When the caller may go on: at once for MASTER/BACKUP/FAULT (commands are not waited for); for
   * STOP, once the commands have ended or been killed after stopTimeoutMs. Never rejects.
   */
  readonly ready: Promise<void>;
  /** When every command has ended and the mail has been accepted or given up. Never rejects. */
  readonly settled: Promise<void>;
}

/** The vrrp_instance name halb writes in keepalived.conf: the cluster's name. */
export function instanceNameOf(cluster: IrCluster): string {
  return cluster.name;
}

/** The router_id halb writes in keepalived.conf: the node's name. */
export function routerIdOf(node: IrNode): string {
  return node.name;
}

/** What notify.sh puts before each command: Keepalived runs scripts with a minimal environment. */
const SCRIPT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const DEFAULT_SMTP_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 1000;

/** Runs the commands and sends the mail for one state change. Call it once per change, as Keepalived mails a state once. */
export function notifyStateChange(change: StateChange, notify: IrNotify, options: NotifyOptions): StateNotification {
  const log = options.log ?? ((line: string) => process.stderr.write(`halb: ${line}\n`));
  const args = ["INSTANCE", change.instance, change.state, String(change.priority)];
  const deadline = change.state === "STOP" ? new AbortController() : null;
  let stopTimer: NodeJS.Timeout | undefined;
  const commands = runCommandsInOrder(notify.exec, args, log, deadline?.signal);
  if (deadline) {
    stopTimer = setTimeout(() => deadline.abort(), options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    void commands.finally(() => clearTimeout(stopTimer));
  }
  const mail = notify.email ? sendStateMail(change, notify.email, options, log) : Promise.resolve();
  return {
    ready: deadline ? commands : Promise.resolve(),
    settled: Promise.all([commands, mail]).then(() => undefined),
  };
}

// ── Commands ─────────────────────────────────────────────────────────────────

/** One after another, as notify.sh runs them; `stop` (STOP's deadline) kills the running one and skips the rest. */
async function runCommandsInOrder(commands: readonly string[], args: readonly string[], log: (line: string) => void, stop: AbortSignal | undefined): Promise<void> {
  for (const command of commands) {
    if (stop?.aborted) {
      log(`notify: not run, STOP took too long: ${command} ${args.join(" ")}`);
      continue;
    }
    try {
      await runCommand(command, args, log, stop);
    } catch (error) {
      log(`notify: cannot run ${command}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A shell-free word that names a file: `/usr/local/bin/page-oncall`, not `page-oncall --team ops` nor `$HOME/x`. */
const PLAIN_PATH = /^[A-Za-z0-9_./@%+,:=-]*\/[A-Za-z0-9_./@%+,:=-]*$/;

async function argvFor(command: string, args: readonly string[]): Promise<readonly string[]> {
  const word = command.trim();
  if (PLAIN_PATH.test(word) && (await isExecutableFile(word))) return [word, ...args];
  // notify.sh: sh -c "$cmd \"\$@\"" halb-notify "$@"
  return ["/bin/sh", "-c", `${command} "$@"`, "halb-notify", ...args];
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves when the command has exited (or was killed by `stop`); a non-zero exit is logged like
 * notify.sh logs it. Its stderr is halb's (so its complaints are seen), its stdout goes nowhere.
 * Outside STOP the child does not keep halb alive.
 */
async function runCommand(command: string, args: readonly string[], log: (line: string) => void, stop: AbortSignal | undefined): Promise<void> {
  const [program, ...rest] = await argvFor(command, args);
  if (program === undefined) return;
  await new Promise<void>((resolve) => {
    const child = spawn(program, rest, {
      // Its own process group, as Keepalived starts scripts: STOP's timeout kills the whole group.
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, PATH: SCRIPT_PATH },
    });
    if (!stop) child.unref();
    const killGroup = (): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    };
    stop?.addEventListener("abort", killGroup, { once: true });
    child.on("error", (error) => {
      stop?.removeEventListener("abort", killGroup);
      log(`notify: cannot run ${command}: ${error.message}`);
      resolve();
    });
    child.on("exit", (code, signal) => {
      stop?.removeEventListener("abort", killGroup);
      if (code !== 0) log(`notify: exit ${code ?? `by signal ${signal ?? "?"}`} from: ${command} ${args.join(" ")}`);
      resolve();
    });
  });
}

// ── Mail ─────────────────────────────────────────────────────────────────────

/** Keepalived's subject suffix and body line for each state (vrrp_notify.c). */
const MAIL_TEXT: Readonly<Record<NotifyState, { readonly subject: string; readonly body: string }>> = {
  MASTER: { subject: "Entering MASTER state", body: "=> VRRP Instance is now owning VRRP VIPs <=" },
  BACKUP: { subject: "Entering BACKUP state", body: "=> VRRP Instance is no longer owning VRRP VIPs <=" },
  FAULT: { subject: "Entering FAULT state", body: "=> VRRP Instance is no longer owning VRRP VIPs <=" },
  STOP: { subject: "Stopping", body: "=> VRRP Instance stopping <=" },
};

/** `[lb1] VRRP Instance zb - Entering MASTER state`. */
export function stateMailSubject(routerId: string, instance: string, state: NotifyState): string {
  return `[${routerId}] VRRP Instance ${instance} - ${MAIL_TEXT[state].subject}`;
}

/** `=> VRRP Instance is now owning VRRP VIPs <=` and the like. */
export function stateMailBody(state: NotifyState): string {
  return MAIL_TEXT[state].body;
}

async function sendStateMail(change: StateChange, email: IrNotifyEmail, options: NotifyOptions, log: (line: string) => void): Promise<void> {
  const timeout = options.smtpTimeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const server = `[${email.smtp.host}]:${email.smtp.port}`;
  const transport = nodemailer.createTransport({
    host: email.smtp.host,
    port: email.smtp.port,
    secure: false,
    // Keepalived speaks plain SMTP: no STARTTLS even when offered, no AUTH.
    ignoreTLS: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    await transport.sendMail({
      from: email.from,
      to: [...email.to],
      subject: stateMailSubject(options.routerId, change.instance, change.state),
      text: `${stateMailBody(change.state)}\n`,
      headers: { "X-Mailer": "Keepalived" },
    });
    log(`SMTP alert successfully sent to ${email.to.join(", ")} through ${server}.`);
  } catch (error) {
    log(`SMTP alert through ${server} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    transport.close();
  }
}
