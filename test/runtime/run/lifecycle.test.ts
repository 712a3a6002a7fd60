/**
 * `halb run`'s life as a process: refusing bad input with one clear line, SIGHUP reloads (a bad
 * OUT keeps the old configuration serving; a good one takes over on the same sockets), and
 * SIGTERM letting the request in flight finish before exiting 0.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, compileSpec, freePort, get, HalbRun, LOOPBACK_CLUSTER, Origin, sleep } from "./harness.js";

function spec(port: number, origin: Origin, extra = ""): string {
  return `${LOOPBACK_CLUSTER}
defaults {
  mode http
  timeout connect 1s client 5s server 5s
}
frontend www {
  bind 127.0.0.1:${port}
  default -> web
}
backend web {
  server s 127.0.0.1:${origin.port}
}
${extra}`;
}

describe("halb run lifecycle", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("refuses a missing OUT and an unknown node with one line and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "halb-run-bad-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const missing = spawnSync(process.execPath, [BIN, "run", join(dir, "nothing"), "--node", "lb1"], { encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/ir\.json: no such file \(run `halb compile SPEC -o OUT` first\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the nodes it knows when --node is wrong", async () => {
    const origin = await Origin.start("s");
    cleanups.push(() => origin.close());
    const compiled = compileSpec(spec(await freePort(), origin));
    cleanups.push(compiled.cleanup);
    const result = spawnSync(process.execPath, [BIN, "run", compiled.out, "--node", "lb9"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no node named "lb9" in this IR: the cluster has lb1');
  });

  it("reloads on SIGHUP: a broken OUT keeps the old configuration serving, a good one takes over", async () => {
    const first = await Origin.start("first");
    const second = await Origin.start("second");
    cleanups.push(() => first.close(), () => second.close());
    const port = await freePort();
    const compiled = compileSpec(spec(port, first));
    cleanups.push(compiled.cleanup);
    const run = await HalbRun.start(compiled.out);
    cleanups.push(() => run.stop());
    expect((await get(port)).body).toBe("first");

    const irPath = join(compiled.out, "ir.json");
    const good = join(compiled.dir, "ir.good.json");
    copyFileSync(irPath, good);
    writeFileSync(irPath, "{ not json");
    run.signal("SIGHUP");
    await run.waitFor(() => run.stderr.some((line) => line.includes("reload refused")), 5000, "the refused reload");
    expect((await get(port)).body).toBe("first");

    const next = compileSpec(spec(port, second));
    cleanups.push(next.cleanup);
    copyFileSync(join(next.out, "ir.json"), irPath);
    run.signal("SIGHUP");
    await run.waitFor(() => run.stderr.some((line) => line.includes("reloaded")), 5000, "the reload");
    expect((await get(port)).body).toBe("second");
  });

  it("writes its request lines as JSON with --log-format json", async () => {
    const origin = await Origin.start("s");
    cleanups.push(() => origin.close());
    const port = await freePort();
    const compiled = compileSpec(spec(port, origin).replace("defaults {", "global {\n  log 127.0.0.1 local0\n}\ndefaults {\n  log global"));
    cleanups.push(compiled.cleanup);
    const run = await HalbRun.start(compiled.out, ["--log-format", "json"]);
    cleanups.push(() => run.stop());
    await get(port, "/json-line");
    await run.waitFor(() => run.stdout.some((line) => line.includes("/json-line")), 3000, "the JSON line");
    const record = JSON.parse(run.stdout.find((line) => line.includes("/json-line"))!) as Record<string, unknown>;
    expect(record).toMatchObject({ frontend_name: "www", backend_name: "web", server_name: "s", status_code: 200, http_request: "GET /json-line HTTP/1.1" });
  });

  it("lets the request in flight finish on SIGTERM, then exits 0", async () => {
    const origin = await Origin.start("slow");
    origin.delayMs = 600;
    cleanups.push(() => origin.close());
    const port = await freePort();
    const compiled = compileSpec(spec(port, origin));
    cleanups.push(compiled.cleanup);
    const run = await HalbRun.start(compiled.out);
    cleanups.push(() => run.stop());
    const answer = get(port);
    await sleep(200);
    run.signal("SIGTERM");
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.body).toBe("slow");
    expect(await run.exited()).toBe(0);
  });
});
