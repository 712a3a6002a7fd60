import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitNotifyScript } from "../../../src/emit/scripts/notify.js";
import { emitTrackCheck } from "../../../src/emit/scripts/track-check.js";
import type { Ir, IrTrack } from "../../../src/ir/types.js";
import { notifyExecIr, seedIr } from "../../helpers/sample-ir.js";

const dir = mkdtempSync(join(tmpdir(), "halb-scripts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function track(ir: Ir): IrTrack {
  const t = ir.cluster.tracks[0];
  if (!t) throw new Error("no track");
  return t;
}

function install(name: string, contents: string): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  chmodSync(path, 0o755);
  return path;
}

function exitOf(path: string, args: readonly string[] = []): { status: number | null; stderr: string } {
  const result = spawnSync(path, args, { encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

describe("track check script", () => {
  const pidfile = join(dir, "haproxy.pid");
  const ir: Ir = { ...seedIr, haproxy: { ...seedIr.haproxy, global: { ...seedIr.haproxy.global, pidfile } } };
  const script = install("haproxy.sh", emitTrackCheck(ir, "n", track(ir), new Map()));

  it("is valid sh", () => {
    expect(spawnSync("/bin/sh", ["-n", script]).status).toBe(0);
  });

  it("exits 0 while the pid in the pidfile runs, 1 otherwise", async () => {
    const child = spawn("sleep", ["30"]);
    try {
      writeFileSync(pidfile, `${child.pid}\n`);
      expect(exitOf(script).status).toBe(0);
    } finally {
      child.kill();
      await new Promise((resolve) => child.on("exit", resolve));
    }
    expect(exitOf(script).status).toBe(1); // that pid is gone now
    for (const contents of ["", "\n", "-1\n", "0\n", "abc\n", "12 34\n"]) {
      writeFileSync(pidfile, contents);
      expect(exitOf(script).status, JSON.stringify(contents)).toBe(1);
    }
    rmSync(pidfile);
    expect(exitOf(script).status).toBe(1);
  });

  it("with `watch`, keeps looking for about 0.9 s and fails as soon as HAProxy is gone", async () => {
    const child = spawn("sleep", ["30"]);
    try {
      writeFileSync(pidfile, `${child.pid}\n`);
      const started = performance.now();
      expect(spawnSync("/bin/sh", [script, "watch"]).status).toBe(0);
      const healthyMs = performance.now() - started;
      expect(healthyMs).toBeGreaterThan(800);
      const watch = spawn("/bin/sh", [script, "watch"]);
      const exit = new Promise<number | null>((resolve) => watch.on("exit", (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const killedAt = performance.now();
      child.kill();
      expect(await exit).toBe(1);
      // It noticed within a few polls, not at the end of its 0.9 s (800 ms after the kill).
      expect(performance.now() - killedAt).toBeLessThan(600);
    } finally {
      child.kill();
    }
  });

  it("uses pidof without a pidfile", () => {
    const ir2: Ir = { ...seedIr, haproxy: { ...seedIr.haproxy, global: { logs: [], daemon: false, raw: [] } } };
    const text = emitTrackCheck(ir2, "n", track(ir2), new Map());
    expect(text).toContain("\nalive() {\n    pidof haproxy >/dev/null 2>&1\n}\n");
    expect(text).toMatch(/\nalive \|\| exit 1\nexit 0\n$/);
    expect(spawnSync("/bin/sh", ["-n", install("pidof.sh", text)]).status).toBe(0);
  });

  it("quotes a pidfile path safely", () => {
    const odd = join(dir, "it's $(x) a.pid");
    const ir3: Ir = { ...seedIr, haproxy: { ...seedIr.haproxy, global: { ...seedIr.haproxy.global, pidfile: odd } } };
    const script3 = install("odd.sh", emitTrackCheck(ir3, "n", track(ir3), new Map()));
    writeFileSync(odd, `${process.pid}\n`);
    expect(exitOf(script3).status).toBe(0);
  });
});

describe("notify.sh", () => {
  it("runs every command in order with Keepalived's four arguments, past missing and failing ones", () => {
    const log = join(dir, "notify.log");
    const rec = install("rec.sh", `#!/bin/sh\nprintf '%s|' "$0" "$@" >> '${log}'\necho >> '${log}'\n`);
    const ir: Ir = {
      ...notifyExecIr,
      cluster: {
        ...notifyExecIr.cluster,
        notify: { email: null, exec: [`${rec} first 'two words'`, join(dir, "missing-command"), "false", `${rec} "it's" $HALB_UNSET_VAR-less`] },
      },
    };
    const script = install("notify.sh", emitNotifyScript(ir, "n"));
    const result = exitOf(script, ["INSTANCE", "zb", "MASTER", "100"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/halb notify: exit 127 from: .*missing-command INSTANCE zb MASTER 100/);
    expect(result.stderr).toMatch(/halb notify: exit 1 from: false/);
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toEqual([`${rec}|first|two words|INSTANCE|zb|MASTER|100|`, `${rec}|it's|-less|INSTANCE|zb|MASTER|100|`]);
  });

  it("embeds commands so that nothing in them runs while the script is parsed", () => {
    const text = emitNotifyScript(notifyExecIr, "n");
    expect(text).toContain(`\nrun '/usr/local/bin/page-oncall' "$@"\nrun 'logger -t '\\''zb vip'\\'' it'\\''s' "$@"\nexit 0\n`);
  });
});
