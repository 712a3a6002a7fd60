/**
 * Run the real daemons' configuration checks on generated files: `haproxy -c` and `keepalived -t`.
 * A missing binary is an error (tests fail, not skip): CI installs HAProxy 2.6 and Keepalived 2.2.
 * keepalivedCheck needs root: it creates a network namespace with the interfaces the config names
 * and, in a private mount namespace, bind-mounts the node's folder at the scripts directory.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join, posix } from "node:path";

export interface CheckResult {
  readonly ok: boolean;
  readonly exitCode: number;
  /** stdout and stderr together. */
  readonly output: string;
}

export interface HaproxyCheckResult extends CheckResult {
  /** The `[WARNING]` lines; `ok` requires none. */
  readonly warnings: string[];
}

const SBIN = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** The absolute path of an executable on PATH (or an sbin folder), else a clear error. */
export function findBinary(name: string): string {
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter).filter(Boolean), ...SBIN];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`${name} is not installed (looked in ${dirs.join(", ")}): install it to run this test (apt-get install ${name})`);
}

interface RunResult {
  readonly exitCode: number;
  readonly output: string;
}

function run(command: string, args: readonly string[], env?: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env ?? { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), output }));
  });
}

async function runOk(command: string, args: readonly string[]): Promise<void> {
  const result = await run(command, args);
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.exitCode}): ${result.output}`);
}

/** `haproxy -c -f cfgPath` with only `env` (and a PATH) in its environment; ok means exit 0 and no warning. */
export async function haproxyCheck(cfgPath: string, env: Record<string, string> = {}): Promise<HaproxyCheckResult> {
  const haproxy = findBinary("haproxy");
  const result = await run(haproxy, ["-c", "-f", cfgPath], { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", ...env });
  const warnings = result.output.split("\n").filter((line) => line.includes("[WARNING]"));
  return { ok: result.exitCode === 0 && warnings.length === 0, exitCode: result.exitCode, output: result.output, warnings };
}

let namespaceCounter = 0;

/** The folder of the scripts keepalived.conf refers to (`script "…"` / `notify "…"`). */
export function scriptsDirOf(conf: string): string | undefined {
  const match = /^\s*(?:script|notify)\s+"([^"]+)"/m.exec(conf);
  return match?.[1] === undefined ? undefined : posix.dirname(match[1].split(/\s+/)[0] ?? match[1]);
}

/**
 * `keepalived -t -f` on nodeDir/keepalived.conf, inside a fresh network namespace holding a veth for
 * each of `interfaces`, with nodeDir bind-mounted at the scripts directory (from the argument, else
 * read from the conf). The namespace is deleted before this returns.
 */
export async function keepalivedCheck(nodeDir: string, interfaces: readonly string[], scriptsDir?: string): Promise<CheckResult> {
  const keepalived = findBinary("keepalived");
  const ip = findBinary("ip");
  const unshare = findBinary("unshare");
  const dir = scriptsDir ?? scriptsDirOf(readFileSync(join(nodeDir, "keepalived.conf"), "utf8")) ?? "/etc/keepalived";
  namespaceCounter += 1;
  const ns = `halbt-${process.pid}-${namespaceCounter}`;
  await runOk(ip, ["netns", "add", ns]);
  try {
    let peer = 0;
    for (const name of new Set(interfaces)) {
      peer += 1;
      await runOk(ip, ["netns", "exec", ns, ip, "link", "add", name, "type", "veth", "peer", "name", `hpeer${peer}`]);
    }
    const script = 'mkdir -p "$1" && mount --bind "$2" "$1" && exec "$3" -t -f "$1/keepalived.conf"';
    const result = await run(ip, ["netns", "exec", ns, unshare, "-m", "sh", "-c", script, "sh", dir, nodeDir, keepalived]);
    return { ok: result.exitCode === 0, exitCode: result.exitCode, output: result.output };
  } finally {
    await run(ip, ["netns", "del", ns]);
  }
}
