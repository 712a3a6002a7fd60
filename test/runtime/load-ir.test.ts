import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadIr, nodeNamed, RunInputError } from "../../src/runtime/load-ir.js";
import { seedIr } from "../helpers/sample-ir.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function outWith(text: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "halb-load-ir-"));
  dirs.push(dir);
  if (text !== null) writeFileSync(join(dir, "ir.json"), text);
  return dir;
}

describe("loadIr", () => {
  it("loads a valid IR and finds its nodes", () => {
    const ir = loadIr(outWith(JSON.stringify(seedIr)));
    expect(ir.cluster.name).toBe("zb");
    expect(nodeNamed(ir, "backup-haproxy").role).toBe("backup");
  });

  it("says what is wrong, with the file, for each kind of bad input", () => {
    expect(() => loadIr(outWith(null))).toThrow(/ir\.json: no such file \(run `halb compile/);
    expect(() => loadIr(outWith("{"))).toThrow(/ir\.json: not valid JSON/);
    expect(() => loadIr(outWith(JSON.stringify({ ...seedIr, irVersion: 99 })))).toThrow(/IR version 99, this halb runs version 1/);
    const broken = { ...seedIr, haproxy: { ...seedIr.haproxy, backends: [{ name: 1 }] } };
    expect(() => loadIr(outWith(JSON.stringify(broken)))).toThrow(RunInputError);
    expect(() => loadIr(outWith(JSON.stringify(broken)))).toThrow(/not a valid halb IR: \/haproxy\/backends\/0/);
  });

  it("names the known nodes when asked for another", () => {
    expect(() => nodeNamed(seedIr, "lb9")).toThrow('no node named "lb9" in this IR: the cluster has haproxy-server, backup-haproxy');
  });
});
