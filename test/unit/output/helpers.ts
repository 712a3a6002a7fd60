/** Temporary folders and whole-tree snapshots for the output tests. */
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmittedFile } from "../../../src/emit/types.js";
import { planOutput, type Bundle } from "../../../src/output/index.js";

const roots: string[] = [];

/** A fresh folder under the OS temp folder; OUT is `ROOT/out`, so staging folders would appear in ROOT. */
export async function makeRoot(): Promise<{ root: string; out: string }> {
  const root = await mkdtemp(join(tmpdir(), "halb-output-test-"));
  roots.push(root);
  return { root, out: join(root, "out") };
}

export async function removeRoots(): Promise<void> {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
}

export interface TreeEntry {
  readonly type: "file" | "dir" | "symlink";
  readonly mode: string;
  readonly contents?: string;
  readonly ino?: number;
}

/** Every entry under `root`: type, permission bits, contents; inode numbers too when asked (proves "not rewritten"). */
export async function tree(root: string, withInodes = false): Promise<Record<string, TreeEntry>> {
  const result: Record<string, TreeEntry> = {};
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const absolute = join(folder, name);
      const rel = prefix + name;
      const stats = await lstat(absolute);
      const base = { mode: (stats.mode & 0o777).toString(8), ...(withInodes ? { ino: stats.ino } : {}) };
      if (stats.isDirectory()) {
        result[rel + "/"] = { type: "dir", ...base };
        await walk(absolute, rel + "/");
      } else if (stats.isSymbolicLink()) {
        result[rel] = { type: "symlink", ...base, contents: await readlink(absolute) };
      } else {
        result[rel] = { type: "file", ...base, contents: await readFile(absolute, "utf8") };
      }
    }
  };
  await walk(root, "");
  return result;
}

export const SECRET = "s3cr3tPw";

export function sampleFiles(overrides: { haproxy?: string; secret?: string; nodes?: string[] } = {}): EmittedFile[] {
  const files: EmittedFile[] = [{ path: "ir.json", contents: '{\n  "version": 1\n}\n', mode: 0o644 }];
  for (const node of overrides.nodes ?? ["lb1", "lb2"]) {
    files.push(
      { path: `${node}/haproxy.cfg`, contents: overrides.haproxy ?? `global\n  daemon\n# ${node}\n`, mode: 0o644 },
      { path: `${node}/keepalived.conf`, contents: `vrrp_instance VI_1 {\n  auth_pass ${overrides.secret ?? SECRET}\n}\n`, mode: 0o600 },
      { path: `${node}/check_haproxy.sh`, contents: "#!/bin/sh\nexec pidof haproxy\n", mode: 0o755 },
    );
  }
  return files;
}

export function sampleBundle(overrides: Parameters<typeof sampleFiles>[0] = {}): Bundle {
  return planOutput(sampleFiles(overrides), { specName: "site.hal", specSha256: "a".repeat(64) });
}
