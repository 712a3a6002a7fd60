import { chmod, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planOutput, sha256, writeBundle } from "../../../src/output/index.js";
import { makeRoot, removeRoots, sampleBundle, SECRET, tree } from "./helpers.js";

afterEach(removeRoots);

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe("writeBundle", () => {
  it("writes a fresh OUT with the manifest, the right modes, and no staging leftovers", async () => {
    const { root, out } = await makeRoot();
    const bundle = sampleBundle();
    const result = await writeBundle(out, bundle);
    expect(result).toMatchObject({ ok: true, diagnostics: [], deleted: [] });
    expect(result.written).toHaveLength(bundle.files.length + 1);
    expect(await readdir(root)).toEqual(["out"]);
    expect(await readdir(out)).toEqual(["ir.json", "lb1", "lb2", "manifest.json"]);
    for (const file of bundle.files) {
      expect(await readFile(join(out, file.path), "utf8")).toBe(file.contents);
      expect(await modeOf(join(out, file.path))).toBe(file.mode);
    }
    expect(await modeOf(join(out, "lb1/keepalived.conf"))).toBe(0o600);
    expect(await modeOf(join(out, "lb1/check_haproxy.sh"))).toBe(0o755);
    expect(await modeOf(join(out, "manifest.json"))).toBe(0o600);
    expect(await readFile(join(out, "manifest.json"), "utf8")).toBe(bundle.manifest.contents);
  });

  it("sets modes exactly, whatever the umask", async () => {
    const { out } = await makeRoot();
    const previous = process.umask(0o077);
    try {
      expect((await writeBundle(out, sampleBundle())).ok).toBe(true);
    } finally {
      process.umask(previous);
    }
    expect(await modeOf(join(out, "lb1/check_haproxy.sh"))).toBe(0o755);
    expect(await modeOf(join(out, "lb1/haproxy.cfg"))).toBe(0o644);
  });

  it("creates missing parents of OUT", async () => {
    const { root } = await makeRoot();
    const out = join(root, "deep", "er", "out");
    expect((await writeBundle(out, sampleBundle())).ok).toBe(true);
    expect(await readdir(join(root, "deep", "er"))).toEqual(["out"]);
  });

  it("is idempotent: a second write changes nothing, not even inodes", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const before = await tree(root, true);
    const again = await writeBundle(out, sampleBundle());
    expect(again).toEqual({ ok: true, diagnostics: [], written: [], deleted: [] });
    expect(await tree(root, true)).toEqual(before);
  });

  it("rewrites only what changed", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const result = await writeBundle(out, sampleBundle({ haproxy: "global\n  maxconn 100\n" }));
    expect(result.ok).toBe(true);
    expect([...result.written].sort()).toEqual(["lb1/haproxy.cfg", "lb2/haproxy.cfg", "manifest.json"]);
    expect(await readFile(join(out, "lb2/haproxy.cfg"), "utf8")).toBe("global\n  maxconn 100\n");
  });

  it("refuses a hand-edited file with HAL5003 and changes nothing at all", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "lb1/haproxy.cfg"), "global\n  # my tweak\n");
    const before = await tree(root, true);
    const result = await writeBundle(out, sampleBundle({ haproxy: "global\n  nbthread 4\n" }));
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5003"]);
    expect(result.diagnostics[0]!.message).toContain(join(out, "lb1/haproxy.cfg"));
    expect(await tree(root, true)).toEqual(before);
  });

  it("reports every hand-edited file, one HAL5003 each", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "lb1/haproxy.cfg"), "x\n");
    await writeFile(join(out, "lb2/haproxy.cfg"), "y\n");
    const result = await writeBundle(out, sampleBundle({ haproxy: "z\n" }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5003", "HAL5003"]);
  });

  it("does not call a file hand-edited when it already holds the new contents", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "lb1/haproxy.cfg"), "new\n");
    expect((await writeBundle(out, sampleBundle({ haproxy: "new\n" }))).ok).toBe(true);
  });

  it("overwrites a hand-edited file with --force", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "lb1/haproxy.cfg"), "global\n  # my tweak\n");
    const result = await writeBundle(out, sampleBundle({ haproxy: "forced\n" }), { force: true });
    expect(result.ok).toBe(true);
    expect(await readFile(join(out, "lb1/haproxy.cfg"), "utf8")).toBe("forced\n");
  });

  it("refuses to overwrite a file the manifest does not list (first compile into a used folder)", async () => {
    const { root, out } = await makeRoot();
    await mkdir(join(out, "lb1"), { recursive: true });
    await writeFile(join(out, "lb1/haproxy.cfg"), "someone else's\n");
    await writeFile(join(out, "notes.txt"), "keep me\n");
    const before = await tree(root, true);
    const result = await writeBundle(out, sampleBundle());
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5003"]);
    expect(result.diagnostics[0]!.notes?.[0]?.message).toMatch(/does not list it/);
    expect(await tree(root, true)).toEqual(before);
    expect((await writeBundle(out, sampleBundle(), { force: true })).ok).toBe(true);
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("keep me\n");
  });

  it("refuses a symbolic link in place of a file, and replaces the link (not its target) with --force", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const elsewhere = join(root, "elsewhere.cfg");
    await writeFile(elsewhere, "not yours\n");
    await rm(join(out, "lb1/haproxy.cfg"));
    await symlink(elsewhere, join(out, "lb1/haproxy.cfg"));
    expect((await writeBundle(out, sampleBundle())).diagnostics.map((d) => d.code)).toEqual(["HAL5003"]);
    expect((await writeBundle(out, sampleBundle(), { force: true })).ok).toBe(true);
    expect(await readFile(elsewhere, "utf8")).toBe("not yours\n");
    expect((await tree(out))["lb1/haproxy.cfg"]?.type).toBe("file");
  });

  it("refuses a folder in place of a file with HAL5002, even with --force", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await rm(join(out, "lb1/haproxy.cfg"));
    await mkdir(join(out, "lb1/haproxy.cfg"));
    const before = await tree(root, true);
    const result = await writeBundle(out, sampleBundle({ haproxy: "changed\n" }), { force: true });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5002"]);
    expect(result.diagnostics[0]!.message).toMatch(/haproxy\.cfg: it is a folder/);
    expect(await tree(root, true)).toEqual(before);
  });

  it("refuses an unreadable manifest without --force, and ignores it with --force", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "manifest.json"), "not json");
    const before = await tree(root, true);
    const result = await writeBundle(out, sampleBundle({ haproxy: "changed\n" }));
    expect(result.diagnostics.map((d) => d.code)).toContain("HAL5003");
    expect(await tree(root, true)).toEqual(before);
    expect((await writeBundle(out, sampleBundle({ haproxy: "changed\n" }), { force: true })).ok).toBe(true);
  });

  it("deletes files of a removed node and its emptied folder", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb2", "lb3"] }));
    const result = await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb2"] }));
    expect(result.ok).toBe(true);
    expect([...result.deleted].sort()).toEqual(["lb3/check_haproxy.sh", "lb3/haproxy.cfg", "lb3/keepalived.conf"]);
    expect(await readdir(out)).toEqual(["ir.json", "lb1", "lb2", "manifest.json"]);
    expect(await readdir(root)).toEqual(["out"]);
  });

  it("keeps a removed node's folder when it holds files halb did not write", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb3"] }));
    await writeFile(join(out, "lb3/README"), "mine\n");
    expect((await writeBundle(out, sampleBundle({ nodes: ["lb1"] }))).ok).toBe(true);
    expect(await readdir(join(out, "lb3"))).toEqual(["README"]);
  });

  it("refuses to delete a hand-edited stale file without --force", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb3"] }));
    await writeFile(join(out, "lb3/haproxy.cfg"), "edited\n");
    const before = await tree(root, true);
    const result = await writeBundle(out, sampleBundle({ nodes: ["lb1"] }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5003"]);
    expect(result.diagnostics[0]!.notes?.[0]?.message).toMatch(/would be deleted/);
    expect(await tree(root, true)).toEqual(before);
    expect((await writeBundle(out, sampleBundle({ nodes: ["lb1"] }), { force: true })).ok).toBe(true);
    expect(await readdir(out)).not.toContain("lb3");
  });

  it("fixes the mode of a file whose contents are unchanged", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await chmod(join(out, "lb1/keepalived.conf"), 0o644);
    await chmod(join(out, "lb1/check_haproxy.sh"), 0o644);
    const result = await writeBundle(out, sampleBundle());
    expect([...result.written].sort()).toEqual(["lb1/check_haproxy.sh", "lb1/keepalived.conf"]);
    expect(await modeOf(join(out, "lb1/keepalived.conf"))).toBe(0o600);
    expect(await modeOf(join(out, "lb1/check_haproxy.sh"))).toBe(0o755);
  });

  it("records the sha256 of what is on disk", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as { files: Array<{ path: string; sha256: string }> };
    for (const entry of manifest.files) expect(sha256(await readFile(join(out, entry.path)))).toBe(entry.sha256);
  });

  it("writes a public manifest when no file is private", async () => {
    const { out } = await makeRoot();
    const bundle = planOutput([{ path: "ir.json", contents: "{}\n", mode: 0o644 }], { specName: "s", specSha256: "c".repeat(64) });
    await writeBundle(out, bundle);
    expect(await modeOf(join(out, "manifest.json"))).toBe(0o644);
  });

  it("reports OUT being a file as HAL5002", async () => {
    const { root, out } = await makeRoot();
    await writeFile(out, "a file\n");
    const result = await writeBundle(out, sampleBundle());
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5002"]);
    expect(await readdir(root)).toEqual(["out"]);
  });

  it.skipIf(process.getuid?.() === 0)("leaves a read-only OUT unchanged, with HAL5002 and no staging folder", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await chmod(join(out, "lb2"), 0o555);
    try {
      const before = await tree(root);
      const result = await writeBundle(out, sampleBundle({ haproxy: "changed\n" }));
      expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5002"]);
      expect(await tree(root)).toEqual(before);
    } finally {
      await chmod(join(out, "lb2"), 0o755);
    }
  });

  it("never writes the secret anywhere but the private files", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    for (const [path, entry] of Object.entries(await tree(root))) {
      if (entry.contents?.includes(SECRET)) expect({ path, mode: entry.mode }).toEqual({ path, mode: "600" });
    }
  });
});
