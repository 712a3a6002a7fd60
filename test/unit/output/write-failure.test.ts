/** Failures injected into node:fs/promises: whatever fails, OUT ends exactly as it was and no staging folder remains. */
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeBundle } from "../../../src/output/index.js";
import { makeRoot, removeRoots, sampleBundle, SECRET, tree } from "./helpers.js";

/** Which call to fail, counted per function; reset after each test. */
const faults = vi.hoisted(() => ({
  renameFailsAt: 0,
  openFailsAt: 0,
  renames: 0,
  opens: 0,
  openCalls: [] as Array<{ path: string; flags: unknown; mode: unknown }>,
}));

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const fail = (code: string, path: string): never => {
    throw Object.assign(new Error(`${code}: injected, ${path}`), { code, path });
  };
  const rename: typeof real.rename = async (from, to) => {
    faults.renames++;
    if (faults.renames === faults.renameFailsAt) fail("EACCES", String(to));
    return real.rename(from, to);
  };
  const open = (async (path: Parameters<typeof real.open>[0], flags?: string | number, mode?: number) => {
    faults.openCalls.push({ path: String(path), flags, mode });
    if (flags === "wx" && ++faults.opens === faults.openFailsAt) fail("ENOSPC", String(path));
    return real.open(path, flags, mode);
  }) as typeof real.open;
  return { ...real, default: { ...real, rename, open }, rename, open };
});

afterEach(async () => {
  Object.assign(faults, { renameFailsAt: 0, openFailsAt: 0, renames: 0, opens: 0, openCalls: [] });
  await removeRoots();
});

describe("writeBundle when the file system fails", () => {
  it("undoes the renames already done when one fails mid-way", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb2", "lb3"] }));
    const before = await tree(root);
    faults.renames = 0;
    faults.renameFailsAt = 4; // three rewritten files (lb1 first) have landed, the fourth fails
    const result = await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb2"], haproxy: "changed\n", secret: "n3wpass" }));
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "HAL5002" });
    expect(result.diagnostics[0]!.message).toMatch(/^Cannot write .*out\/lb2\/.*: permission denied\.$/);
    expect(result.diagnostics[0]!.message).not.toMatch(/\n\s+at /);
    expect(await tree(root)).toEqual(before);
  });

  it("puts back deleted files and their folder when the manifest rename fails", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb3"] }));
    const before = await tree(root);
    faults.renames = 0;
    // lb3's three files are parked (3 renames), then the manifest rename (the 4th) fails.
    faults.renameFailsAt = 4;
    const result = await writeBundle(out, sampleBundle({ nodes: ["lb1"] }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5002"]);
    expect(result.diagnostics[0]!.message).toContain("manifest.json");
    expect(await tree(root)).toEqual(before);
  });

  it("removes a freshly created OUT again when the first compile fails", async () => {
    const { root, out } = await makeRoot();
    faults.renameFailsAt = 5;
    const result = await writeBundle(join(out, "nested"), sampleBundle());
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5002"]);
    expect(await readdir(root)).toEqual([]);
  });

  it("changes nothing when staging fails (disk full)", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const before = await tree(root, true);
    faults.opens = 0;
    faults.openFailsAt = 3;
    const result = await writeBundle(out, sampleBundle({ haproxy: "changed\n" }));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toMatch(/^Cannot write .*: no space left on the device\.$/);
    expect(await tree(root, true)).toEqual(before);
  });

  it("creates every private file with mode 0600 from the start", async () => {
    const { out } = await makeRoot();
    const bundle = sampleBundle();
    await writeBundle(out, bundle);
    const created = faults.openCalls.filter((c) => c.flags === "wx");
    expect(created.length).toBeGreaterThanOrEqual(bundle.files.length + 1);
    // Staged files only: nothing is ever created in place inside OUT.
    for (const call of created) expect(basename(call.path)).toMatch(/^(new|old)-\d+$/);
    // Every staged file whose final contents hold the secret was opened with 0600.
    const secretIndexes = bundle.files.flatMap((f, i) => (f.contents.includes(SECRET) ? [i] : []));
    expect(secretIndexes.length).toBe(2);
    for (const i of secretIndexes) {
      expect(created.find((c) => basename(c.path) === `new-${i}`)?.mode).toBe(0o600);
    }
    expect(created.find((c) => basename(c.path) === `new-${bundle.files.length}`)?.mode).toBe(0o600);
  });
});
