/**
 * Golden tests: fixtures/compile/<case>/input.hal → expected/ir.json and every node's files.
 * Each case is also checked by the real daemons (haproxy -c with zero warnings, keepalived -t
 * exit 0 in a network namespace), compiled twice for determinism, and re-emitted from the
 * serialised IR to prove the emitters read nothing but the IR.
 */
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitAll } from "../../src/emit/index.js";
import { referencedEnv } from "../../src/ir/secrets.js";
import type { Ir } from "../../src/ir/types.js";
import { validateIr } from "../../src/ir/validate.js";
import { caseFolders } from "../helpers/cases.js";
import { caseEnv, compileText } from "../helpers/compile-case.js";
import { haproxyCheck, keepalivedCheck } from "../helpers/daemons.js";
import { parseEnvFile, writeTempOut } from "../helpers/out-dir.js";

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The interfaces a node's keepalived.conf names: the node's own and any VIP `dev`. */
export function interfacesOf(ir: Ir, nodeName: string): string[] {
  const node = ir.cluster.nodes.find((n) => n.name === nodeName)!;
  return [node.interface, ...ir.cluster.vips.flatMap((v) => (v.dev ? [v.dev] : []))];
}

const COMPILE_CASES = "fixtures/compile";
const compileCases = caseFolders(COMPILE_CASES).map((name) => ({ name, dir: join(COMPILE_CASES, name) }));

for (const { name, dir } of compileCases) {
  describe(`compile ${name}`, () => {
    const specPath = join(dir, "input.hal");
    const env = caseEnv(dir);
    const compiled = compileText(specPath, undefined, env);
    const expectedDir = join(dir, "expected");

    it("compiles", () => {
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(compiled.ir).not.toBeNull();
    });

    it("matches the golden files", async () => {
      for (const file of compiled.files) await expect(file.contents).toMatchFileSnapshot(join("..", "..", expectedDir, file.path));
      if (compiled.report) await expect(compiled.report).toMatchFileSnapshot(join("..", "..", expectedDir, "diagnostics.txt"));
    });

    it("has no obsolete golden files", () => {
      const produced = new Set([...compiled.files.map((f) => f.path), ...(compiled.report ? ["diagnostics.txt"] : [])]);
      const stale = listFiles(expectedDir).map((p) => relative(expectedDir, p)).filter((p) => !produced.has(p));
      expect(stale).toEqual([]);
    });

    it("is deterministic and emits from the IR alone", () => {
      const again = compileText(specPath, undefined, env);
      expect(again.files).toEqual(compiled.files);
      const ir = JSON.parse(compiled.files.find((f) => f.path === "ir.json")!.contents) as Ir;
      expect(validateIr(ir)).toEqual([]);
      const secrets = new Map(referencedEnv(ir).map((n) => [n, env[n]!]));
      expect(emitAll(ir, secrets)).toEqual(compiled.files.filter((f) => f.path !== "ir.json"));
    });

    it("passes haproxy -c with zero warnings and keepalived -t on every node", async () => {
      const ir = compiled.ir!;
      const out = writeTempOut(compiled.files);
      temps.push(out);
      for (const node of ir.cluster.nodes) {
        const nodeDir = join(out, node.name);
        const envFile = compiled.files.find((f) => f.path === `${node.name}/haproxy.env`);
        const haproxy = await haproxyCheck(join(nodeDir, "haproxy.cfg"), envFile ? parseEnvFile(envFile.contents) : {});
        expect(haproxy.output, `haproxy -c on ${node.name}`).toContain("Configuration file is valid");
        expect(haproxy.warnings, `haproxy -c on ${node.name}`).toEqual([]);
        expect(haproxy.ok).toBe(true);
        const keepalived = await keepalivedCheck(nodeDir, interfacesOf(ir, node.name));
        expect({ exitCode: keepalived.exitCode, output: keepalived.output }, `keepalived -t on ${node.name}`).toEqual({ exitCode: 0, output: "" });
      }
    }, 60_000);
  });
}

describe("the language contract", () => {
  it("has every example of hal-language.md in a compile fixture, verbatim", () => {
    const contract = readFileSync(join("..", "shared", "spec", "hal-language.md"), "utf8");
    const examples = [...contract.matchAll(/```hal\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(7);
    const inputs = compileCases.map(({ dir }) => readFileSync(join(dir, "input.hal"), "utf8"));
    for (const example of examples) expect(inputs.some((input) => input.includes(example))).toBe(true);
  });
});
