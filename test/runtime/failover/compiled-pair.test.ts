/**
 * The compiled pair under the real daemons: the seed's spec (its three sites), moved to lab
 * addresses, compiled by halb, and run as written — HAProxy 2.6 and Keepalived 2.2 on two nodes,
 * each in its own network, mount and PID namespace, the web servers in a third, a client in a
 * fourth sending 10 requests/s to the VIP. Killing HAProxy on the master moves the VIP to the
 * backup (the track's watch script fails within 0.1 s: FAULT and priority 0 at once) and the
 * client keeps being served; stopping Keepalived does too; the master takes the VIP back when it returns.
 * Measured and printed: seconds from the failure to the VIP answering from the other node, and
 * the client's failed requests. Targets: ≤ 1.5 s and ≤ 10 failed requests when HAProxy dies.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBinary } from "../../helpers/daemons.js";
import { sleep } from "../run/harness.js";
import { createLab, type Lab, LAB, type Running } from "./lab.js";

const BIN = resolve("bin/halb");
const SECRETS = { VRRP_PASS: "s3cret", STATS_PASS: "stats-pw" };
const SITES = ["www.zb.com", "static.zb.com", "video.zb.com"];

/** One line per request: `{"at":ms,"ok":bool,"body":"…"}`. */
const CLIENT = `
const http = require("node:http");
const hosts = ${JSON.stringify(SITES)};
let n = 0;
setInterval(() => {
  const host = hosts[n++ % hosts.length];
  const at = Date.now();
  const request = http.get({ host: "${LAB.vip}", port: 80, path: "/", headers: { host }, agent: false, timeout: 1000 }, (response) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk) => (body += chunk));
    response.on("end", () => console.log(JSON.stringify({ at, ok: response.statusCode === 200, body })));
  });
  request.on("timeout", () => request.destroy(new Error("timeout")));
  request.on("error", () => console.log(JSON.stringify({ at, ok: false, body: "" })));
}, 100);
`;

/** A web server per backend address, answering its site's name. */
const BACKENDS = `
const http = require("node:http");
const sites = { "${LAB.backends[0]}": "www", "${LAB.backends[1]}": "static", "${LAB.backends[2]}": "video" };
for (const [address, site] of Object.entries(sites)) http.createServer((request, response) => response.end(site)).listen(80, address);
`;

interface Sample {
  readonly at: number;
  readonly ok: boolean;
  readonly body: string;
}

describe("the compiled seed pair under HAProxy and Keepalived", () => {
  let lab: Lab;
  let dir: string;
  let client: Running;
  const nodes: Partial<Record<"lb1" | "lb2", Running>> = {};

  const samples = (): Sample[] => client.output.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Sample);

  /** The node's daemons in a private mount and PID namespace: HAProxy (daemon), then Keepalived in the foreground. */
  function startNode(name: "lb1" | "lb2", nodeDir: string): Running {
    const script = [
      "set -e",
      'mkdir -p /etc/keepalived /usr/local/haproxy/logs /run/keepalived',
      'mount --bind "$1" /etc/keepalived',
      "mount -t tmpfs tmpfs /usr/local/haproxy/logs",
      "mount -t tmpfs tmpfs /run/keepalived",
      // As deployed: the node's sysctl file lets the backup's HAProxy bind the VIP it does not hold.
      "sysctl -q -p /etc/keepalived/99-halb.sysctl.conf",
      '"$2" -D -f /etc/keepalived/haproxy.cfg',
      '"$3" -n -l -D -f /etc/keepalived/keepalived.conf -p /run/keepalived/k.pid -r /run/keepalived/v.pid -c /run/keepalived/c.pid || true',
      // This shell is the PID namespace's init: it stays, or the node's other processes would die with it.
      "exec sleep 1000000",
    ].join("\n");
    return lab.spawn(name, [findBinary("unshare"), "-m", "-p", "-f", "--mount-proc", "sh", "-c", script, "sh", nodeDir, findBinary("haproxy"), findBinary("keepalived")], SECRETS);
  }

  async function until(test: () => boolean, timeoutMs: number, what: string): Promise<number> {
    const start = Date.now();
    while (!test()) {
      if (Date.now() - start > timeoutMs) {
        const logs = Object.entries(nodes).map(([name, node]) => `${name}:\n${node!.output.slice(-40).join("\n")}`);
        throw new Error(`timed out waiting for ${what}\n${logs.join("\n")}`);
      }
      await sleep(20);
    }
    return Date.now() - start;
  }

  /** From `since`: seconds until the first served request sent after it, and the failures in between. */
  async function outage(since: number): Promise<{ seconds: number; failed: number }> {
    await until(() => samples().some((sample) => sample.at > since && sample.ok), 10_000, "the client to be served again");
    const after = samples().filter((sample) => sample.at > since);
    const firstOk = after.find((sample) => sample.ok)!;
    return { seconds: (firstOk.at - since) / 1000, failed: after.filter((sample) => !sample.ok && sample.at < firstOk.at).length };
  }

  beforeAll(async () => {
    lab = createLab();
    dir = mkdtempSync(join(tmpdir(), "halb-compiled-pair-"));
    const seed = readFileSync(resolve("fixtures/compile/seed-zb/input.hal"), "utf8").replaceAll("192.168.66.", "198.18.0.");
    writeFileSync(join(dir, "zb.hal"), seed);
    const compiled = spawnSync(process.execPath, [BIN, "compile", join(dir, "zb.hal"), "-o", join(dir, "out")], { encoding: "utf8", env: { ...process.env, ...SECRETS } });
    if (compiled.status !== 0) throw new Error(compiled.stderr);
    lab.spawn("be", [process.execPath, "-e", BACKENDS]);
    nodes.lb1 = startNode("lb1", join(dir, "out", "haproxy-server"));
    nodes.lb2 = startNode("lb2", join(dir, "out", "backup-haproxy"));
    await until(() => lab.holdsVip("lb1"), 15_000, "the master to hold the VIP");
    client = lab.spawn("cl", [process.execPath, "-e", CLIENT]);
    await until(() => samples().filter((sample) => sample.ok).length >= 6, 10_000, "the client to be served");
  }, 40_000);

  afterAll(() => {
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves the three sites through the VIP on the master only", () => {
    expect(new Set(samples().filter((sample) => sample.ok).map((sample) => sample.body))).toEqual(new Set(["www", "static", "video"]));
    expect(lab.holdsVip("lb2")).toBe(false);
  });

  it("moves the VIP to the backup when HAProxy dies on the master: within 1.5 s and 10 failed requests", async () => {
    const haproxy = lab.pids("lb1", "haproxy");
    expect(haproxy.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    for (const pid of haproxy) process.kill(pid, "SIGKILL");
    const { seconds, failed } = await outage(killedAt);
    console.log(`compiled pair, HAProxy killed on the master: VIP answering from the backup after ${seconds.toFixed(2)} s; ${failed} requests failed (10/s)`);
    expect(lab.holdsVip("lb2")).toBe(true);
    expect(seconds).toBeLessThanOrEqual(1.5);
    expect(failed).toBeLessThanOrEqual(10);
  });

  it("gives the VIP back to the master once its HAProxy runs again, without failing the client", async () => {
    const keepalived = lab.pids("lb1", "keepalived");
    const restartAt = Date.now();
    const restarted = spawnSync(findBinary("nsenter"), ["-t", String(keepalived[0]), "-m", "-p", "-n", "--", findBinary("haproxy"), "-D", "-f", "/etc/keepalived/haproxy.cfg"], {
      encoding: "utf8",
      env: { ...process.env, ...SECRETS },
    });
    expect(restarted.status, restarted.stderr).toBe(0);
    await until(() => lab.holdsVip("lb1"), 10_000, "the master to take the VIP back");
    await sleep(1000);
    const failed = samples().filter((sample) => sample.at > restartAt && !sample.ok).length;
    console.log(`compiled pair, master back: VIP on the master after ${((Date.now() - restartAt) / 1000 - 1).toFixed(2)} s; ${failed} requests failed meanwhile`);
    expect(lab.holdsVip("lb2")).toBe(false);
    expect(failed).toBeLessThanOrEqual(10);
  });

  it("moves the VIP to the backup when Keepalived stops on the master, and back when it returns", async () => {
    const stoppedAt = Date.now();
    for (const pid of lab.pids("lb1", "keepalived")) process.kill(pid, "SIGTERM");
    const { seconds, failed } = await outage(stoppedAt);
    console.log(`compiled pair, Keepalived stopped on the master: VIP answering from the backup after ${seconds.toFixed(2)} s; ${failed} requests failed`);
    await until(() => lab.holdsVip("lb2") && !lab.holdsVip("lb1"), 5000, "the backup to hold the VIP");
    expect(failed).toBeLessThanOrEqual(10);

    // Keepalived again, in the node's namespaces (entered through its HAProxy), in the foreground.
    const haproxy = lab.pids("lb1", "haproxy");
    nodes.lb1 = lab.spawnOnHost([
      findBinary("nsenter"), "-t", String(haproxy[0]), "-m", "-p", "-n", "--",
      findBinary("keepalived"), "-n", "-l", "-D", "-f", "/etc/keepalived/keepalived.conf", "-p", "/run/keepalived/k2.pid", "-r", "/run/keepalived/v2.pid", "-c", "/run/keepalived/c2.pid",
    ]);
    await until(() => lab.holdsVip("lb1") && !lab.holdsVip("lb2"), 10_000, "the master to take the VIP back");
  });
});
