/**
 * Deciding what a write must do, from the bundle and a snapshot of OUT. Pure, so every rule about
 * hand edits is tested without touching a disk.
 *
 * - A file whose bytes already equal the bundle's is never a conflict (only its mode may need fixing).
 *   This also lets a compile interrupted between renames finish on the next run.
 * - A file the old manifest lists, still with the recorded sha256, is halb's: it may be replaced or deleted.
 * - Anything else in the way (edited since, or unknown to the manifest, or a symbolic link) is HAL5003
 *   without --force. Folders and other non-files in the way are HAL5002 even with --force.
 * - manifest.json is always halb's own, unless it cannot be parsed (then HAL5003 without --force).
 */
import { join } from "node:path";
import type { EmittedFile } from "../emit/types.js";
import type { Diagnostic, Note } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/create.js";
import { sha256 } from "./hash.js";
import { MANIFEST_PATH, type ManifestEntry } from "./manifest.js";
import { bundleFiles, type Bundle } from "./plan.js";
import { describeEntry, type DiskEntry, type OutSnapshot } from "./snapshot.js";

export interface FileWrite {
  readonly file: EmittedFile;
  /** What is there now, to be restored if a later step fails. */
  readonly previous: DiskEntry;
}

export interface FileDelete {
  readonly path: string;
  readonly previous: DiskEntry;
}

export interface Changes {
  /** Files whose contents or mode differ, bundle order (manifest last). */
  readonly writes: readonly FileWrite[];
  /** Files from the old manifest that the bundle no longer has. */
  readonly deletes: readonly FileDelete[];
  readonly unchanged: readonly string[];
  /** Non-empty means: write nothing. */
  readonly diagnostics: readonly Diagnostic[];
}

export function computeChanges(outDir: string, bundle: Bundle, snapshot: OutSnapshot, force: boolean): Changes {
  const recorded = new Map<string, ManifestEntry>();
  if (snapshot.oldManifest.kind === "ok") for (const f of snapshot.oldManifest.manifest.files) recorded.set(f.path, f);

  const writes: FileWrite[] = [];
  const deletes: FileDelete[] = [];
  const unchanged: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const entry = (path: string): DiskEntry => snapshot.entries.get(path) ?? { kind: "absent" };
  const refuse = (path: string, note: string): void => {
    if (!force) diagnostics.push(diag("HAL5003", undefined, { path: join(outDir, path) }, [{ message: note } satisfies Note]));
  };

  if (snapshot.oldManifest.kind === "invalid") {
    refuse(MANIFEST_PATH, `It cannot be read as a halb manifest (${snapshot.oldManifest.reason}), so halb cannot tell its own files from yours.`);
  }

  const produced = new Set<string>();
  for (const file of bundleFiles(bundle)) {
    produced.add(file.path);
    const current = entry(file.path);
    if (current.kind === "absent") {
      writes.push({ file, previous: current });
      continue;
    }
    if (current.kind === "other") {
      diagnostics.push(diag("HAL5002", undefined, { path: join(outDir, file.path), reason: `it is ${current.what}` }));
      continue;
    }
    if (current.kind === "file" && current.contents.equals(Buffer.from(file.contents, "utf8"))) {
      if (current.mode === file.mode) unchanged.push(file.path);
      else writes.push({ file, previous: current });
      continue;
    }
    if (file.path !== MANIFEST_PATH) {
      const problem = ownership(current, recorded.get(file.path));
      if (problem !== undefined) refuse(file.path, problem);
    }
    writes.push({ file, previous: current });
  }

  for (const [path, record] of recorded) {
    if (produced.has(path)) continue;
    const current = entry(path);
    // Gone already, or replaced by a folder the user made: not halb's to remove.
    if (current.kind === "absent" || current.kind === "other") continue;
    const problem = ownership(current, record);
    if (problem !== undefined) refuse(path, `${problem} The spec no longer produces it, so it would be deleted.`);
    deletes.push({ path, previous: current });
  }

  return { writes, deletes, unchanged, diagnostics };
}

/** Why a file in the way is not known to be halb's own, or undefined when it is. */
function ownership(current: DiskEntry, record: ManifestEntry | undefined): string | undefined {
  if (current.kind === "symlink") return "It is a symbolic link, which halb never writes.";
  if (current.kind !== "file") return `It is ${describeEntry(current)}.`;
  if (record === undefined) return "halb did not write it: manifest.json does not list it.";
  if (sha256(current.contents) !== record.sha256) return "Its sha256 differs from the one in manifest.json.";
  return undefined;
}
