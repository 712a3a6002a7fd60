/**
 * The generated files against the real daemons: `haproxy -c` with zero warnings and `keepalived -t`
 * exiting 0, for every sample IR and node. Needs haproxy, keepalived, ip and root; a missing binary
 * fails the test (CI installs them).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitAll } from "../../../src/emit/index.js";
import type { Ir } from "../../../src/ir/types.js";
import { haproxyCheck, keepalivedCheck } from "../../helpers/daemons.js";
import { ALL_SECRETS, allSampleIrs, seedIr, withHostAccounts } from "../../helpers/sample-ir.js";

const out = mkdtempSync(join(tmpdir(), "halb-daemons-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Writes the IR's files under out/<name>/ with their modes; returns that folder. */
function write(name: string, ir: Ir): string {
  const root = join(out, name);
  for (const file of emitAll(ir, ALL_SECRETS)) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    writeFileSync(path, file.contents);
    chmodSync(path, file.mode);
  }
  return root;
}

/** The seed's `group nobody` does not exist on Debian/Ubuntu, and `haproxy -c` checks it. */
const cases = Object.entries(allSampleIrs).map(([name, ir]) => [name, withHostAccounts(ir)] as const);
const env = Object.fromEntries(ALL_SECRETS);

describe("haproxy -c", () => {
  it.each(cases)("%s: every node's haproxy.cfg is valid with zero warnings", async (name, ir) => {
    const root = write(`h-${name}`, ir);
    for (const node of ir.cluster.nodes) {
      const result = await haproxyCheck(join(root, node.name, "haproxy.cfg"), env);
      expect(result.warnings, result.output).toEqual([]);
      expect(result.exitCode, result.output).toBe(0);
      expect(result.ok).toBe(true);
    }
  });

  it("reports warnings (so the zero-warning checks above mean something)", async () => {
    const ir: Ir = {
      ...seedIr,
      haproxy: { ...seedIr.haproxy, defaults: { ...seedIr.haproxy.defaults, timeouts: { connect: 5000 } } },
    };
    const root = write("h-warn", withHostAccounts(ir));
    const result = await haproxyCheck(join(root, "haproxy-server", "haproxy.cfg"), env);
    expect(result.ok).toBe(false);
    expect(result.warnings.join("\n")).toMatch(/missing timeouts/);
  });
});

describe("keepalived -t", () => {
  it.each(cases)("%s: every node's keepalived.conf exits 0", async (name, ir) => {
    const root = write(`k-${name}`, ir);
    for (const node of ir.cluster.nodes) {
      const interfaces = [node.interface, ...ir.cluster.vips.map((vip) => vip.dev ?? node.interface)];
      const result = await keepalivedCheck(join(root, node.name), interfaces);
      expect(result.exitCode, result.output).toBe(0);
      expect(result.ok).toBe(true);
    }
  });

  it("fails when an interface is missing (so the checks above mean something)", async () => {
    const root = write("k-missing-if", withHostAccounts(seedIr));
    const result = await keepalivedCheck(join(root, "haproxy-server"), ["eth9"]);
    expect(result.ok).toBe(false);
  });
});
