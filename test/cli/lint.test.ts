/**
 * `halb lint` and `halb explain` as CI runs them: the real bin/halb, real folders, exit codes 0/1/2,
 * the four formats, the config file, flags, suppressions, and --verify with the real daemons.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findDaemon } from "../../src/lint/verify/run-daemon.js";

const BIN = resolve("bin/halb");
const SEED = readFileSync(resolve("fixtures/compile/seed-zb/input.hal"), "utf8");

/** A clean pair: no rule has anything to say about it at error or warning level. */
const GOOD = `cluster lb {
  interface eth0
  vip 192.168.66.10/24
  vrid 61
  unicast
  auth pass env(VRRP_PASS)
  track haproxy every 2s fall 2 rise 2
  notify exec "/usr/local/bin/page-oncall"
  node lb1 192.168.66.11 master
  node lb2 192.168.66.12 backup
}
global {
  maxconn 4096
  log 127.0.0.1 local0 info
  user haproxy
  group haproxy
  chroot /var/lib/haproxy
  pidfile /run/haproxy.pid
}
defaults {
  mode http
  redispatch
  timeout connect 5s client 30s server 30s http-request 10s
}
frontend www {
  bind vip:80
  default -> web
}
backend web {
  health http GET /health every 2s rise 2 fall 3
  server web1 192.168.66.20:80
  server web2 192.168.66.21:80
}
`;
/** GOOD without any `track`: PAIR003 (an error). */
const UNTRACKED = GOOD.replace("  track haproxy every 2s fall 2 rise 2\n", "");

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "halb-lint-cli-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function halb(args: readonly string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? work,
    env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...options.env },
    input: options.input ?? "",
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(work, name)), { recursive: true });
    writeFileSync(join(work, name), text);
  }
}

interface JsonReport {
  files: string[];
  findings: { file: string; line: number; column: number; severity: string; ruleId: string; message: string }[];
}

function json(run: Run): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}

describe("halb lint", () => {
  it("passes the seed's spec without errors, and without its secrets in the environment", () => {
    write({ "zb.hal": SEED });
    const run = halb(["lint", "zb.hal", "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = json(run);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).not.toContain("HAL2007");
  });

  it("lints every *.hal below the folder, skipping node_modules, hidden folders and included fragments", () => {
    write({
      "site/a.hal": `include "../common/defaults.hal"\n${GOOD}`,
      "common/defaults.hal": "backend spare {\n  server spare1 192.168.66.25:80\n}\n",
      "site/b/untracked.hal": UNTRACKED.replace("vrid 61", "vrid 62"),
      "node_modules/pkg/broken.hal": "cluster {",
      ".git/x.hal": "cluster {",
    });
    const run = halb(["lint", "--format", "json"]);
    const report = json(run);
    expect(report.files).toEqual(["site/a.hal", "site/b/untracked.hal"]);
    const errors = report.findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => `${f.file}:${f.ruleId}`)).toEqual(["site/b/untracked.hal:PAIR003"]);
    expect(run.status).toBe(1);
  });

  it("exits 0 on a clean spec and prints nothing in stylish", () => {
    write({ "lb.hal": GOOD });
    const run = halb(["lint", "lb.hal", "--rule", "KA014=off"]);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").filter((l) => / (error|warning) /.test(l))).toEqual([]);
  });

  it("reports a spec that does not parse as a located finding and exits 2, without a stack trace", () => {
    write({ "bad.hal": "cluster lb {\n  vrid 51\n" });
    const run = halb(["lint", "bad.hal"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^bad\.hal:\d+:\d+: error HAL1004/m);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 for a file that cannot be read, reported as a finding", () => {
    const run = halb(["lint", "missing.hal", "--format", "json"]);
    expect(run.status).toBe(2);
    expect(json(run).findings[0]).toMatchObject({ ruleId: "HAL5001", severity: "error" });
  });

  it("shows file:line:column, severity, rule id and message with a code frame", () => {
    write({ "lb.hal": UNTRACKED });
    const run = halb(["lint", "lb.hal"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^lb\.hal:1:9: error PAIR003 /m);
    expect(run.stdout).toMatch(/^1 \| cluster lb \{$/m);
  });

  it("reads standard input for -", () => {
    const run = halb(["lint", "-", "--format", "json"], { input: UNTRACKED });
    expect(json(run).findings.map((f) => f.ruleId)).toContain("PAIR003");
    expect(run.status).toBe(1);
  });

  it("honours --rule, including rule names, and refuses unknown rules with a suggestion", () => {
    write({ "lb.hal": UNTRACKED });
    expect(halb(["lint", "lb.hal", "--rule", "PAIR003=off", "--rule", "KA014=off"]).status).toBe(0);
    expect(halb(["lint", "lb.hal", "--rule", "no-haproxy-tracking=warn", "--format", "json"]).stdout).toContain('"severity": "warning"');
    const bad = halb(["lint", "lb.hal", "--rule", "PAIR03=off"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule `PAIR03`\. Did you mean `PAIR003`\?/);
  });

  it("fails on more warnings than --max-warnings", () => {
    write({ "lb.hal": GOOD.replace("  server web2 192.168.66.21:80\n", "") });
    const report = json(halb(["lint", "lb.hal", "--format", "json"]));
    const warnings = report.findings.filter((f) => f.severity === "warning").length;
    expect(warnings).toBeGreaterThan(0);
    expect(halb(["lint", "lb.hal", "--max-warnings", String(warnings)]).status).toBe(0);
    expect(halb(["lint", "lb.hal", "--max-warnings", String(warnings - 1)]).status).toBe(1);
  });

  it("reads .halbrc.json from the folder or a parent, and names the file when it is wrong", () => {
    write({ "specs/lb.hal": UNTRACKED, ".halbrc.json": JSON.stringify({ rules: { "no-haproxy-tracking": "off", KA014: "off" } }) });
    expect(halb(["lint", "lb.hal"], { cwd: join(work, "specs") }).status).toBe(0);
    write({ ".halbrc.json": JSON.stringify({ rules: { PAIR003: "loud" } }) });
    const bad = halb(["lint", "lb.hal"], { cwd: join(work, "specs") });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/\.halbrc\.json: rules\.PAIR003 /);
    write({ "other.json": JSON.stringify({ maxWarnings: -1 }) });
    const invalid = halb(["lint", "specs/lb.hal", "--config", "other.json"]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/other\.json: maxWarnings must be >= 0/);
  });

  it("validates rule options from the config file against the rule's schema", () => {
    write({ "lb.hal": GOOD, ".halbrc.json": JSON.stringify({ rules: { PAIR001: ["error", { bogus: 1 }] } }) });
    const run = halb(["lint", "lb.hal"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/rule PAIR001 takes no options/);
  });

  it("applies inline suppressions", () => {
    write({ "lb.hal": `# halb-disable-file PAIR003 -- tracked by the orchestrator\n${UNTRACKED}` });
    const run = halb(["lint", "lb.hal", "--format", "json"]);
    expect(json(run).findings.map((f) => f.ruleId)).not.toContain("PAIR003");
  });

  it("writes github annotations and SARIF", () => {
    write({ "lb.hal": UNTRACKED });
    const github = halb(["lint", "lb.hal", "--format", "github"]);
    expect(github.stdout).toMatch(/^::error file=lb\.hal,line=1,/m);
    const sarif = halb(["lint", "lb.hal", "--format", "sarif", "-o", "report.sarif"]);
    expect(sarif.status).toBe(1);
    expect(sarif.stdout).toBe("");
    const log = JSON.parse(readFileSync(join(work, "report.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain("PAIR003");
  });

  it("colours stylish output only when asked to", () => {
    write({ "lb.hal": UNTRACKED });
    expect(halb(["lint", "lb.hal"]).stdout).not.toContain("\u001b[");
    expect(halb(["lint", "lb.hal"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } }).stdout).toContain("\u001b[");
  });

  it("stops quietly when the reader of its output goes away (halb lint | head -c 1)", () => {
    const many = Array.from({ length: 400 }, (_, i) => `backend b${i} {\n  server s 192.168.66.${i % 250}:80\n}\n`).join("");
    write({ "big.hal": UNTRACKED + many });
    const run = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" lint big.hal --format json | head -c 1`], { cwd: work, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });
    expect(run.stdout).toBe("{");
    expect(run.stderr).toBe("");
  });

  it("says so when there is nothing to lint", () => {
    const run = halb(["lint"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no \.hal file below/);
  });

  it.runIf(findDaemon("haproxy") !== undefined)("--verify maps haproxy -c's complaint back to the raw line that caused it", () => {
    write({ "lb.hal": GOOD.replace("  server web2 192.168.66.21:80\n", '  server web2 192.168.66.21:80\n  raw "option httpclose foo"\n') });
    const run = halb(["lint", "lb.hal", "--verify", "--format", "json"]);
    const verified = json(run).findings.filter((f) => f.ruleId === "HAL6001" && f.severity === "error");
    expect(verified).toEqual([expect.objectContaining({ file: "lb.hal", line: 33, column: 7 })]);
    expect(verified[0]!.message).toMatch(/`haproxy -c` \(lb1, lb2: haproxy\.cfg line \d+\): 'option httpclose' cannot handle unexpected argument 'foo'/);
    expect(run.status).toBe(1);
  });

  it.runIf(findDaemon("haproxy") !== undefined && findDaemon("keepalived") !== undefined)("--verify finds nothing wrong in a clean spec's output", () => {
    write({ "lb.hal": GOOD });
    const run = halb(["lint", "lb.hal", "--verify", "--format", "json"]);
    expect(json(run).findings.filter((f) => f.ruleId.startsWith("HAL6") && f.severity !== "info")).toEqual([]);
  });
});

describe("halb explain", () => {
  it("prints a rule's doc page, by id or name", () => {
    const run = halb(["explain", "unused-backend"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# HAP001 unused-backend\n/);
    expect(run.stdout).toContain("## How to fix");
  });

  it("explains compiler codes too", () => {
    const run = halb(["explain", "HAL2003"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# HAL2003 /);
  });

  it("refuses an unknown id with a suggestion", () => {
    const run = halb(["explain", "HAP0001"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Did you mean/);
  });
});
