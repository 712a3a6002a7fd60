/**
 * notifyStateChange: real commands (a recording script in a temp dir) get Keepalived's four
 * arguments exactly as the compiled notify.sh passes them, failures are logged and never thrown,
 * STOP alone is waited for; the alert mail reaches a real SMTP server on 127.0.0.1 with
 * Keepalived's subject, body, sender and recipients.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitKeepalivedConfig } from "../../../src/emit/keepalived/index.js";
import { emitNotifyScript } from "../../../src/emit/scripts/notify.js";
import type { Ir, IrNotify } from "../../../src/ir/types.js";
import { instanceNameOf, notifyStateChange, type NotifyState, routerIdOf } from "../../../src/runtime/vrrp/notify.js";
import { SEED_SECRETS, seedIr } from "../../helpers/sample-ir.js";
import { startSmtpSink, type SmtpSink } from "./smtp-sink.js";

let dir: string;
let log: string[];
const options = () => ({ routerId: "lb1", log: (line: string) => log.push(line) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "halb-notify-"));
  log = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An executable script; `body` is sh. Returns its path. */
async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** A script appending one line per call to calls.log: each argument in [brackets]. */
function recorder(name = "record.sh"): Promise<string> {
  return script(name, `line=""\nfor a in "$@"; do line="$line[$a]"; done\necho "$line" >> "$(dirname "$0")/calls.log"`);
}

async function calls(): Promise<string[]> {
  const text = await readFile(join(dir, "calls.log"), "utf8").catch(() => "");
  return text.split("\n").filter(Boolean);
}

const execOnly = (...exec: string[]): IrNotify => ({ email: null, exec });

describe("notify commands", () => {
  it("runs an executable path with INSTANCE, name, state and priority", async () => {
    const record = await recorder();
    const run = notifyStateChange({ instance: "zb", state: "MASTER", priority: 100 }, execOnly(record), options());
    await run.settled;
    expect(await calls()).toEqual(["[INSTANCE][zb][MASTER][100]"]);
    expect(log).toEqual([]);
  });

  it("runs a command line through sh, its own arguments first, in order", async () => {
    const record = await recorder();
    const exec = execOnly(`${record} --team 'on call'`, `TAG=x; ${record} "$TAG"`, record);
    await notifyStateChange({ instance: "zb", state: "BACKUP", priority: 90 }, exec, options()).settled;
    expect(await calls()).toEqual([
      "[--team][on call][INSTANCE][zb][BACKUP][90]",
      "[x][INSTANCE][zb][BACKUP][90]",
      "[INSTANCE][zb][BACKUP][90]",
    ]);
  });

  it("does exactly what the compiled notify.sh does with the same commands", async () => {
    const record = await recorder();
    const exec = [record, `${record} --team 'on call' "it's"`, `${record} $((1 + 2))`];
    const ir: Ir = { ...seedIr, cluster: { ...seedIr.cluster, notify: { email: null, exec } } };
    const notifySh = join(dir, "notify.sh");
    await writeFile(notifySh, emitNotifyScript(ir, "haproxy-server"));
    await chmod(notifySh, 0o755);
    await runToEnd(notifySh, ["INSTANCE", "zb", "FAULT", "0"]);
    const fromScript = await calls();
    await rm(join(dir, "calls.log"));
    await notifyStateChange({ instance: "zb", state: "FAULT", priority: 0 }, { email: null, exec }, options()).settled;
    expect(await calls()).toEqual(fromScript);
    expect(fromScript).toEqual(["[INSTANCE][zb][FAULT][0]", "[--team][on call][it's][INSTANCE][zb][FAULT][0]", "[3][INSTANCE][zb][FAULT][0]"]);
  });

  it("a failing or missing command is logged, never thrown, and the next one still runs", async () => {
    const record = await recorder();
    const failing = await script("fail.sh", "exit 3");
    const missing = join(dir, "no-such-hook");
    const exec = execOnly(failing, missing, record);
    let run: ReturnType<typeof notifyStateChange> | undefined;
    expect(() => (run = notifyStateChange({ instance: "zb", state: "FAULT", priority: 0 }, exec, options()))).not.toThrow();
    await run?.settled;
    expect(await calls()).toEqual(["[INSTANCE][zb][FAULT][0]"]);
    expect(log).toEqual([`notify: exit 3 from: ${failing} INSTANCE zb FAULT 0`, `notify: exit 127 from: ${missing} INSTANCE zb FAULT 0`]);
  });

  it("does not wait for the commands outside STOP", async () => {
    const slow = await script("slow.sh", `sleep 1\necho done >> "$(dirname "$0")/calls.log"`);
    const started = Date.now();
    const run = notifyStateChange({ instance: "zb", state: "MASTER", priority: 100 }, execOnly(slow), options());
    await run.ready;
    expect(Date.now() - started).toBeLessThan(500);
    expect(await calls()).toEqual([]);
    await run.settled;
    expect(await calls()).toEqual(["done"]);
  });

  it("STOP waits for the commands", async () => {
    const record = await recorder();
    const slow = await script("slow.sh", `sleep 0.3\necho slow >> "$(dirname "$0")/calls.log"`);
    await notifyStateChange({ instance: "zb", state: "STOP", priority: 100 }, execOnly(slow, record), options()).ready;
    expect(await calls()).toEqual(["slow", "[INSTANCE][zb][STOP][100]"]);
  });

  it("STOP kills the commands' process group after its timeout and skips the rest", async () => {
    const record = await recorder();
    const stuck = await script("stuck.sh", `echo $$ > "$(dirname "$0")/stuck.pid"\nsleep 30\necho woke >> "$(dirname "$0")/calls.log"`);
    const started = Date.now();
    const run = notifyStateChange({ instance: "zb", state: "STOP", priority: 100 }, execOnly(stuck, record), { ...options(), stopTimeoutMs: 300 });
    await run.ready;
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(await readFile(join(dir, "stuck.pid"), "utf8"));
    // The script and its `sleep` shared a process group: none of it is left running.
    expect(await liveProcessesInGroup(pid)).toEqual([]);
    expect(await calls()).toEqual([]);
    expect(log).toEqual([`notify: exit by signal SIGKILL from: ${stuck} INSTANCE zb STOP 100`, `notify: not run, STOP took too long: ${record} INSTANCE zb STOP 100`]);
  });
});

describe("names as keepalived.conf has them", () => {
  it("the instance is the vrrp_instance and the router_id is the node's", () => {
    const node = seedIr.cluster.nodes[0]!;
    const conf = emitKeepalivedConfig(seedIr, node, SEED_SECRETS).text;
    expect(conf).toMatch(new RegExp(`^vrrp_instance ${instanceNameOf(seedIr.cluster)} \\{$`, "m"));
    expect(conf).toMatch(new RegExp(`^\\s+router_id ${routerIdOf(node)}$`, "m"));
  });
});

describe("notify e-mail", () => {
  let sink: SmtpSink;

  beforeEach(async () => {
    sink = await startSmtpSink();
  });

  afterEach(async () => {
    await sink.close();
  });

  const mailTo = (port: number): IrNotify => ({
    exec: [],
    email: { to: ["ops@example.com", "oncall@example.com"], from: "lb1@example.com", smtp: { host: "127.0.0.1", port } },
  });

  const cases: readonly [NotifyState, string, string][] = [
    ["MASTER", "Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="],
    ["BACKUP", "Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <="],
    ["FAULT", "Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <="],
    ["STOP", "Stopping", "=> VRRP Instance stopping <="],
  ];

  it.each(cases)("%s: Keepalived's subject and body, from the sender to every address", async (state, subject, body) => {
    await notifyStateChange({ instance: "zb", state, priority: 100 }, mailTo(sink.port), options()).settled;
    await sink.waitFor(1);
    const [mail] = sink.received;
    expect(mail?.mailFrom).toBe("lb1@example.com");
    expect(mail?.rcptTo).toEqual(["ops@example.com", "oncall@example.com"]);
    expect(mail?.headers.get("subject")).toBe(`[lb1] VRRP Instance zb - ${subject}`);
    expect(mail?.headers.get("from")).toBe("lb1@example.com");
    expect(mail?.headers.get("to")).toBe("ops@example.com, oncall@example.com");
    expect(mail?.headers.get("x-mailer")).toBe("Keepalived");
    expect(mail?.body).toBe(`${body}\r\n`);
    expect(log).toEqual(["SMTP alert successfully sent to ops@example.com, oncall@example.com through [127.0.0.1]:" + sink.port + "."]);
  });

  it("a refused connection is logged, not thrown", async () => {
    const port = await closedPort();
    await notifyStateChange({ instance: "zb", state: "MASTER", priority: 100 }, mailTo(port), options()).settled;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(new RegExp(`^SMTP alert through \\[127\\.0\\.0\\.1\\]:${port} failed: .*ECONNREFUSED`));
  });

  it("a server that never greets times out after the SMTP timeout", async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      await notifyStateChange({ instance: "zb", state: "MASTER", priority: 100 }, mailTo(silent.port), { ...options(), smtpTimeoutMs: 300 }).settled;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(/^SMTP alert through .* failed: .*(Greeting never received|timeout)/i);
    } finally {
      await silent.close();
    }
  });
});

/** Processes of process group `pgid` that are not zombies (a killed child may wait a moment to be reaped). */
async function liveProcessesInGroup(pgid: number): Promise<number[]> {
  const live: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid pgrp …: comm may hold spaces, so read after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") live.push(Number(entry));
  }
  return live;
}

function runToEnd(program: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => resolve());
  });
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections on 127.0.0.1 and never says a word. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
