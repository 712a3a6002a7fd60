/**
 * What OUT holds now, for the paths halb cares about: the bundle's files and those the old manifest lists.
 * Read-only; OUT is never scanned, so files halb knows nothing about are never looked at.
 */
import { lstat, readFile, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/create.js";
import { describeFsError, isFsError } from "./fs-error.js";
import { MANIFEST_PATH, parseManifest, type Manifest } from "./manifest.js";
import { PERMISSION_BITS } from "./mode.js";

export type DiskEntry =
  | { readonly kind: "absent" }
  | { readonly kind: "file"; readonly contents: Buffer; readonly mode: number }
  | { readonly kind: "symlink"; readonly target: string }
  /** A folder, socket, device…: nothing halb may overwrite or delete. */
  | { readonly kind: "other"; readonly what: string };

export type OldManifest =
  | { readonly kind: "absent" }
  | { readonly kind: "ok"; readonly manifest: Manifest }
  | { readonly kind: "invalid"; readonly reason: string };

export interface OutSnapshot {
  readonly outExists: boolean;
  readonly oldManifest: OldManifest;
  /** By path relative to OUT; includes manifest.json. */
  readonly entries: ReadonlyMap<string, DiskEntry>;
}

export type SnapshotResult = { readonly ok: true; readonly snapshot: OutSnapshot } | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** Reads the manifest, then every path in `paths` and every path the manifest lists. */
export async function readSnapshot(outDir: string, paths: Iterable<string>): Promise<SnapshotResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    // stat, not lstat: a symbolic link to a folder is accepted for OUT itself, the user chose that path.
    if (!(await stat(outDir)).isDirectory()) {
      return { ok: false, diagnostics: [diag("HAL5002", undefined, { path: outDir, reason: "it exists and is not a folder" })] };
    }
  } catch (error) {
    if (isFsError(error) && error.code === "ENOENT") {
      return { ok: true, snapshot: { outExists: false, oldManifest: { kind: "absent" }, entries: new Map() } };
    }
    return { ok: false, diagnostics: [diag("HAL5001", undefined, { path: outDir, reason: describeFsError(error) })] };
  }

  const entries = new Map<string, DiskEntry>();
  const read = async (path: string): Promise<DiskEntry | undefined> => {
    if (entries.has(path)) return entries.get(path);
    try {
      const entry = await readEntry(join(outDir, path));
      entries.set(path, entry);
      return entry;
    } catch (error) {
      diagnostics.push(diag("HAL5001", undefined, { path: join(outDir, path), reason: describeFsError(error) }));
      return undefined;
    }
  };

  const manifestEntry = await read(MANIFEST_PATH);
  let oldManifest: OldManifest = { kind: "absent" };
  if (manifestEntry?.kind === "file") {
    const parsed = parseManifest(manifestEntry.contents.toString("utf8"));
    oldManifest = parsed.ok ? { kind: "ok", manifest: parsed.manifest } : { kind: "invalid", reason: parsed.reason };
  } else if (manifestEntry !== undefined && manifestEntry.kind !== "absent") {
    oldManifest = { kind: "invalid", reason: `it is ${describeEntry(manifestEntry)}` };
  }

  const wanted = new Set(paths);
  if (oldManifest.kind === "ok") for (const file of oldManifest.manifest.files) wanted.add(file.path);
  for (const path of wanted) await read(path);

  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, snapshot: { outExists: true, oldManifest, entries } };
}

async function readEntry(absolute: string): Promise<DiskEntry> {
  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    // ENOTDIR: a parent is a file. Nothing is there; creating the folder will fail later with a clear reason.
    if (isFsError(error) && (error.code === "ENOENT" || error.code === "ENOTDIR")) return { kind: "absent" };
    throw error;
  }
  if (stats.isSymbolicLink()) return { kind: "symlink", target: await readlink(absolute) };
  if (stats.isDirectory()) return { kind: "other", what: "a folder" };
  if (!stats.isFile()) return { kind: "other", what: "not a regular file" };
  return { kind: "file", contents: await readFile(absolute), mode: stats.mode & PERMISSION_BITS };
}

/** For messages: "a symbolic link", "a folder". */
export function describeEntry(entry: DiskEntry): string {
  switch (entry.kind) {
    case "absent":
      return "missing";
    case "file":
      return "a file";
    case "symlink":
      return "a symbolic link";
    case "other":
      return entry.what;
  }
}
