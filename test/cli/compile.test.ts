/**
 * `halb compile` as a user runs it: the real bin/halb (built into dist/ by `npm run build`),
 * real files, exit codes, and what reaches the terminal.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve("bin/halb");
const SEED = resolve("fixtures/compile/seed-zb/input.hal");
const SECRETS = { VRRP_PASS: "Vr9!pass", STATS_PASS: "st4ts-secret-pw" };

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "halb-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function halb(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...options.env },
    input: options.input ?? "",
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[path.slice(dir.length + 1)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, "utf8")}`;
    }
  };
  walk(dir);
  return out;
}

function expectNoSecret(run: Run): void {
  for (const value of Object.values(SECRETS)) expect(run.stdout + run.stderr).not.toContain(value);
}

describe("halb compile", () => {
  it("writes the seed's pair and says what it did", () => {
    const run = halb(["compile", SEED, "-o", "out"], { env: SECRETS });
    expect(run.stderr).toMatch(/compiled input\.hal for haproxy-server, backup-haproxy into out/);
    expect(run.status).toBe(0);
    expectNoSecret(run);
    const files = tree(join(work, "out"));
    expect(Object.keys(files).sort()).toEqual(
      [
        "ir.json",
        "manifest.json",
        ...["haproxy-server", "backup-haproxy"].flatMap((n) => [`${n}/haproxy.cfg`, `${n}/keepalived.conf`, `${n}/chk_haproxy.sh`, `${n}/99-halb.sysctl.conf`, `${n}/haproxy.env`]),
      ].sort(),
    );
    expect(files["haproxy-server/keepalived.conf"]).toMatch(/^600 /);
    expect(files["haproxy-server/haproxy.env"]).toMatch(/^600 /);
    expect(files["haproxy-server/chk_haproxy.sh"]).toMatch(/^755 /);
    expect(files["haproxy-server/haproxy.cfg"]).toMatch(/^644 /);
    // Files others may read never hold a secret.
    for (const [path, content] of Object.entries(files)) {
      if (!content.startsWith("600 ")) for (const value of Object.values(SECRETS)) expect(content, path).not.toContain(value);
    }
  });

  it("is idempotent, and --check passes on an up-to-date OUT", () => {
    const before = tree(join(work, "out"));
    expect(halb(["compile", SEED, "-o", "out"], { env: SECRETS }).stderr).toContain("(0 written, 0 removed)");
    expect(tree(join(work, "out"))).toEqual(before);
    const check = halb(["compile", SEED, "-o", "out", "--check"], { env: SECRETS });
    expect(check).toMatchObject({ status: 0, stdout: "" });
  });

  it("--check prints a diff and exits 1 when the spec changed, without showing secret files", () => {
    const spec = join(work, "changed.hal");
    writeFileSync(spec, readFileSync(SEED, "utf8").replace("weight 6\n}\n\nbackend server_static", "weight 5\n}\n\nbackend server_static"));
    const before = tree(join(work, "out"));
    const run = halb(["compile", spec, "-o", "out", "--check"], { env: { ...SECRETS, VRRP_PASS: "other-pw" } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("-    server webapp1 192.168.66.20:80 weight 6 cookie webapp1");
    expect(run.stdout).toContain("+    server webapp1 192.168.66.20:80 weight 5 cookie webapp1");
    expect(run.stdout).toMatch(/Secret files a\/haproxy-server\/keepalived\.conf and b\/haproxy-server\/keepalived\.conf differ/);
    expect(run.stdout + run.stderr).not.toContain("other-pw");
    expectNoSecret(run);
    expect(tree(join(work, "out"))).toEqual(before);
  });

  it("refuses to overwrite a hand-edited file without --force", () => {
    const cfg = join(work, "out/backup-haproxy/haproxy.cfg");
    writeFileSync(cfg, readFileSync(cfg, "utf8") + "# my local tweak\n");
    const before = tree(join(work, "out"));
    const spec = join(work, "changed.hal");
    const refused = halb(["compile", spec, "-o", "out"], { env: SECRETS });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("HAL5003");
    expect(refused.stderr).toContain("backup-haproxy/haproxy.cfg");
    expect(tree(join(work, "out"))).toEqual(before);
    const forced = halb(["compile", spec, "-o", "out", "--force"], { env: SECRETS });
    expect(forced.status).toBe(0);
    expect(readFileSync(cfg, "utf8")).not.toContain("my local tweak");
  });

  it("reports a bad spec with file:line:column and a code frame, writes nothing, and shows no stack", () => {
    const spec = join(work, "bad.hal");
    writeFileSync(spec, readFileSync(SEED, "utf8").replace("route host video.zb.com -> server_video", "route host video.zb.com -> server_vidoe"));
    const run = halb(["compile", spec, "-o", "fresh"], { env: SECRETS });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${spec}:45:30: error HAL2003 There is no backend or listen section named \`server_vidoe\`. Did you mean \`server_video\`?`);
    expect(run.stderr).toContain("  route host video.zb.com -> server_vidoe");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, "fresh"))).toBe(false);
  });

  it("names a missing environment variable and the line that uses it, never a value", () => {
    const run = halb(["compile", SEED, "-o", "fresh"], { env: { STATS_PASS: SECRETS.STATS_PASS } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${SEED}:7:13: error HAL2007 The environment variable \`VRRP_PASS\` is not set.`);
    expectNoSecret(run);
  });

  it("reads the spec from standard input with -", () => {
    const run = halb(["compile", "-", "-o", "from-stdin"], { env: SECRETS, input: readFileSync(SEED, "utf8") });
    expect(run.status).toBe(0);
    expect(readFileSync(join(work, "from-stdin/haproxy-server/haproxy.cfg"), "utf8")).toContain("from stdin for node haproxy-server");
  });

  it("exits 2 with one line for a file that does not exist", () => {
    const run = halb(["compile", "nope.hal", "-o", "fresh"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error HAL5001 Cannot read nope.hal: no such file.\n\n1 error\n");
  });

  it("exits 2 on a usage error, with a hint and no stack", () => {
    const unknownFlag = halb(["compile", SEED, "-o", "x", "--frobnicate"]);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown argument: frobnicate");
    const noCommand = halb([]);
    expect(noCommand.status).toBe(2);
    expect(noCommand.stderr).toContain("halb compile SPEC -o OUT");
  });

  it("copes with an OUT that is a file: one message, exit 2, nothing changed", () => {
    writeFileSync(join(work, "plainfile"), "x");
    const run = halb(["compile", SEED, "-o", "plainfile"], { env: SECRETS });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/HAL5002|HAL5003/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(work, "plainfile"), "utf8")).toBe("x");
  });
});

describe("the README's example", () => {
  it("compiles as the README says", () => {
    const readme = readFileSync("README.md", "utf8");
    const command = /npm install && (.*) npx halb compile (\S+) -o (\S+)/.exec(readme);
    expect(command).not.toBeNull();
    const env = Object.fromEntries(command![1]!.split(" ").map((kv) => kv.split("=") as [string, string]));
    const dir = mkdtempSync(join(tmpdir(), "halb-readme-"));
    cpSync("fixtures", join(dir, "fixtures"), { recursive: true });
    const result = spawnSync(process.execPath, [BIN, "compile", command![2]!, "-o", command![3]!], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(dir, command![3]!, "haproxy-server/haproxy.cfg"))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
