/**
 * Property: every valid spec the generator makes (test/helpers/spec-arbitrary.ts) compiles without
 * errors, every node's files pass the real daemons' checks (haproxy -c with zero warnings,
 * keepalived -t exit 0 in a network namespace), and the nodes' files agree as a pair must:
 * the same VRRP instance everywhere, one master that wins, peers that are the others, and one
 * haproxy.cfg except for `bind node:PORT` lines.
 *
 * FC_SEED=<n> replays a run; FC_RUNS=<n> changes the number of specs (default 200).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Ir, IrBindAddress } from "../../src/ir/types.js";
import { compileText, type CompiledCase } from "../helpers/compile-case.js";
import { haproxyCheck, keepalivedCheck } from "../helpers/daemons.js";
import { parseEnvFile, writeTempOut } from "../helpers/out-dir.js";
import { validSpecArb, type SpecCase } from "../helpers/spec-arbitrary.js";

const RUNS = Number(process.env["FC_RUNS"] ?? 200);
const SEED = process.env["FC_SEED"] !== undefined ? Number(process.env["FC_SEED"]) : undefined;
/** Daemon checks running at once (each is a process; keepalived also a network namespace). */
const POOL_SIZE = 4;

/** A tiny semaphore: at most `size` tasks at once. */
function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
const limit = pool(POOL_SIZE);

/** The interfaces a node's keepalived.conf names: the node's own and any VIP `dev`. */
function interfacesOf(ir: Ir, nodeName: string): string[] {
  const node = ir.cluster.nodes.find((n) => n.name === nodeName)!;
  return [node.interface, ...ir.cluster.vips.flatMap((v) => (v.dev ? [v.dev] : []))];
}

/** The bodies (trimmed lines) of every `HEAD {` … `}` block whose head matches. */
function blocks(text: string, head: RegExp): string[][] {
  const lines = text.split("\n");
  const found: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(.*\S)\s*\{$/.exec(lines[i]!);
    if (!open || !head.test(open[1]!)) continue;
    const body: string[] = [];
    let depth = 1;
    for (let j = i + 1; j < lines.length && depth > 0; j++) {
      const line = lines[j]!.trim();
      if (line.endsWith("{")) depth += 1;
      if (line === "}") depth -= 1;
      if (depth > 0) body.push(line);
    }
    found.push(body);
  }
  return found;
}

function single(text: string, keyword: string): string | undefined {
  return new RegExp(`^\\s*${keyword}\\s+(.*)$`, "m").exec(text)?.[1];
}

function hostPort(address: string, family: 4 | 6, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function fileOf(compiled: CompiledCase, path: string): string {
  const file = compiled.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} among the compiled files`);
  return file.contents;
}

/** The pair invariants, on the text of the files. Returns the problems found. */
function pairProblems(ir: Ir, compiled: CompiledCase, expectedMaster: string): string[] {
  const problems: string[] = [];
  const nodes = ir.cluster.nodes;
  const conf = new Map(nodes.map((n) => [n.name, fileOf(compiled, `${n.name}/keepalived.conf`)]));

  // What every keepalived.conf must agree on.
  const shared = (text: string): Record<string, unknown> => {
    const instance = blocks(text, /^vrrp_instance /)[0] ?? [];
    const body = instance.join("\n");
    const vips = [...blocks(body, /^virtual_ipaddress$/), ...blocks(body, /^virtual_ipaddress_excluded$/)].flat().map((l) => l.split(/\s+/)[0]!);
    return {
      vrid: single(body, "virtual_router_id"),
      advert: single(body, "advert_int"),
      auth: blocks(body, /^authentication$/),
      vips: vips.sort(),
      scripts: blocks(text, /^vrrp_script /),
      scriptHeads: text.split("\n").filter((l) => /^vrrp_script /.test(l)),
      tracked: blocks(body, /^track_script$/),
      preempt: instance.filter((l) => /^(nopreempt|preempt_delay)\b/.test(l)),
    };
  };
  const first = shared(conf.get(nodes[0]!.name)!);
  for (const node of nodes.slice(1)) {
    const mine = shared(conf.get(node.name)!);
    for (const key of Object.keys(first)) {
      if (JSON.stringify(mine[key]) !== JSON.stringify(first[key])) {
        problems.push(`keepalived.conf of ${node.name} differs from ${nodes[0]!.name} in ${key}: ${JSON.stringify(mine[key])} vs ${JSON.stringify(first[key])}`);
      }
    }
  }
  const expectedVips = ir.cluster.vips.map((v) => `${v.address}/${v.prefix}`).sort();
  if (JSON.stringify(first["vips"]) !== JSON.stringify(expectedVips)) problems.push(`VIPs ${JSON.stringify(first["vips"])}, expected ${JSON.stringify(expectedVips)}`);
  if (first["vrid"] !== String(ir.cluster.vrrp.vrid)) problems.push(`virtual_router_id ${String(first["vrid"])}, expected ${ir.cluster.vrrp.vrid}`);

  // One node strictly highest, and it is the master.
  const priorities = nodes.map((n) => ({ name: n.name, priority: Number(single(conf.get(n.name)!, "priority")) }));
  const top = Math.max(...priorities.map((p) => p.priority));
  const winners = priorities.filter((p) => p.priority === top);
  if (winners.length !== 1 || winners[0]!.name !== expectedMaster) {
    problems.push(`priorities ${JSON.stringify(priorities)}: expected ${expectedMaster} alone on top`);
  }
  const masterInIr = nodes.filter((n) => n.role === "master").map((n) => n.name);
  if (masterInIr.length !== 1 || masterInIr[0] !== expectedMaster) problems.push(`IR masters ${JSON.stringify(masterInIr)}, expected ${expectedMaster}`);

  for (const node of nodes) {
    const text = conf.get(node.name)!;
    // Unicast peers: everyone else, never itself.
    const peers = blocks(text, /^unicast_peer$/);
    if (ir.cluster.vrrp.transport === "unicast") {
      const list = peers[0] ?? [];
      if (peers.length !== 1) problems.push(`${node.name}: expected one unicast_peer block, found ${peers.length}`);
      if (list.includes(node.address)) problems.push(`${node.name}: unicast_peer lists its own address ${node.address}`);
      for (const other of nodes) if (other !== node && !list.includes(other.address)) problems.push(`${node.name}: unicast_peer misses ${other.name} (${other.address})`);
      if (single(text, "unicast_src_ip") !== node.address) problems.push(`${node.name}: unicast_src_ip ${String(single(text, "unicast_src_ip"))}`);
    } else if (peers.length > 0) problems.push(`${node.name}: unicast_peer under multicast`);
    // nopreempt / preempt_delay: every node starts BACKUP.
    const state = single(text, "state");
    if (ir.cluster.vrrp.preempt.mode !== "on" && state !== "BACKUP") problems.push(`${node.name}: state ${String(state)} under preempt ${ir.cluster.vrrp.preempt.mode}`);
    if (ir.cluster.vrrp.preempt.mode === "on" && state !== (node.role === "master" ? "MASTER" : "BACKUP")) problems.push(`${node.name}: state ${String(state)} for a ${node.role}`);
  }

  // haproxy.cfg: identical on every node once the header and the node's own `bind node:PORT` lines are removed.
  const h = ir.haproxy;
  const nodeBinds = [...(h.stats?.binds ?? []), ...h.frontends.flatMap((f) => f.binds), ...h.listens.flatMap((l) => l.binds)].filter(
    (b): b is Extract<IrBindAddress, { kind: "node" }> => b.kind === "node",
  );
  const reduced = nodes.map((node) => {
    const own = new Set(nodeBinds.map((b) => `bind ${hostPort(node.address, node.family, b.port)}`));
    const lines = fileOf(compiled, `${node.name}/haproxy.cfg`).split("\n");
    const kept = lines.filter((l) => !l.startsWith("#") && !own.has(l.trim()));
    const removed = lines.filter((l) => own.has(l.trim())).length;
    if (removed !== nodeBinds.length) problems.push(`${node.name}: ${removed} own-address bind lines in haproxy.cfg, expected ${nodeBinds.length}`);
    return { node: node.name, text: kept.join("\n") };
  });
  for (const other of reduced.slice(1)) {
    if (other.text !== reduced[0]!.text) problems.push(`haproxy.cfg of ${other.node} differs from ${reduced[0]!.node} beyond node binds`);
  }
  return problems;
}

/** haproxy -c and keepalived -t on every node, a few at a time. */
async function daemonProblems(ir: Ir, compiled: CompiledCase): Promise<string[]> {
  const out = writeTempOut(compiled.files, "halb-prop-");
  try {
    const checks = ir.cluster.nodes.flatMap((node) => {
      const nodeDir = join(out, node.name);
      const envFile = compiled.files.find((f) => f.path === `${node.name}/haproxy.env`);
      return [
        limit(async () => {
          const result = await haproxyCheck(join(nodeDir, "haproxy.cfg"), envFile ? parseEnvFile(envFile.contents) : {});
          return result.ok ? [] : [`haproxy -c on ${node.name} (exit ${result.exitCode}):\n${result.output}`];
        }),
        limit(async () => {
          const result = await keepalivedCheck(nodeDir, interfacesOf(ir, node.name));
          return result.exitCode === 0 ? [] : [`keepalived -t on ${node.name} (exit ${result.exitCode}):\n${result.output}`];
        }),
      ];
    });
    return (await Promise.all(checks)).flat();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function failure(testCase: SpecCase, compiled: CompiledCase | null, problems: readonly string[]): Error {
  const files = compiled?.files
    .filter((f) => /(haproxy\.cfg|keepalived\.conf)$/.test(f.path))
    .map((f) => `--- ${f.path}\n${f.contents}`)
    .join("\n");
  return new Error(
    [
      ...problems,
      "--- spec",
      testCase.text,
      `--- env ${JSON.stringify(testCase.env)}`,
      ...(compiled?.report ? ["--- diagnostics", compiled.report] : []),
      ...(files ? [files] : []),
    ].join("\n"),
  );
}

describe("valid specs (property)", () => {
  it(
    `${RUNS} generated specs compile, pass haproxy -c and keepalived -t, and agree as a pair`,
    async () => {
      let runs = 0;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(validSpecArb, async (testCase) => {
          runs += 1;
          const compiled = compileText("generated.hal", testCase.text, testCase.env);
          const errors = compiled.diagnostics.filter((d) => d.severity === "error");
          if (errors.length > 0 || !compiled.ir) throw failure(testCase, compiled, ["the compiler refused a valid spec"]);
          const ir = compiled.ir;
          const master = testCase.spec.cluster.nodes[testCase.spec.cluster.master]!.name;
          const pair = pairProblems(ir, compiled, master);
          if (pair.length > 0) throw failure(testCase, compiled, pair);
          const daemons = await daemonProblems(ir, compiled);
          if (daemons.length > 0) throw failure(testCase, compiled, daemons);
        }),
        {
          numRuns: RUNS,
          ...(SEED !== undefined ? { seed: SEED } : {}),
          // Shrinking reruns the daemons: bound it so a failure is reported in reasonable time.
          interruptAfterTimeLimit: 8 * 60_000,
          markInterruptAsFailure: false,
        },
      );
      console.log(`property: ${runs} specs checked in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      expect(runs).toBeGreaterThanOrEqual(RUNS);
    },
    10 * 60_000,
  );
});

/**
 * What the property found: specs the compiler accepts but HAProxy warns about or refuses. Each must
 * be refused with a located diagnostic, or compile to files HAProxy accepts without a warning.
 * The generator leaves these out (see "KNOWN COMPILER BUG" in spec-arbitrary.ts) until they are fixed.
 */
const PAIR = "cluster c {\n  interface eth0\n  vip 192.168.1.10/24\n  vrid 1\n  node a 192.168.1.11 master\n  node b 192.168.1.12 backup\n}\n";
const REPRODUCERS: Record<string, string> = {
  "balance uri in a TCP backend": `${PAIR}frontend f {\n  bind :8000\n  mode tcp\n  default -> b\n}\nbackend b {\n  mode tcp\n  balance uri\n  server s 192.0.2.1:80\n}\n`,
  "cookie rewrite indirect": `${PAIR}frontend f {\n  bind :8000\n  default -> b\n}\nbackend b {\n  cookie SERVERID rewrite indirect\n  server s 192.0.2.1:80\n}\n`,
};

describe("property reproducers", () => {
  for (const [title, text] of Object.entries(REPRODUCERS)) {
    it(`${title}: refused with a located diagnostic, or accepted by haproxy -c without a warning`, async () => {
      const compiled = compileText("reproducer.hal", text, {});
      const errors = compiled.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) {
        for (const d of errors) expect(d.span, `${d.code} ${d.message}`).toBeDefined();
        return;
      }
      const out = writeTempOut(compiled.files, "halb-prop-");
      try {
        const result = await haproxyCheck(join(out, "a", "haproxy.cfg"));
        expect(result.warnings, result.output).toEqual([]);
        expect(result.exitCode, result.output).toBe(0);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
