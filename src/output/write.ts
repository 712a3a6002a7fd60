/**
 * `halb compile` without --check: bring OUT to exactly the bundle, or change nothing.
 * Order: read OUT → decide (refusing hand edits) → stage and fsync everything → rename into place
 * (manifest last) → remove the staging folder, whatever happened.
 */
import { mkdir, rm, rmdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/create.js";
import { computeChanges, type Changes } from "./changes.js";
import { commit, CommitError, describeUndoFailures, type CommitPlan, type StagedWrite } from "./commit.js";
import { atPath, describeFsError, PathError } from "./fs-error.js";
import { MANIFEST_PATH } from "./manifest.js";
import { bundleFiles, type Bundle } from "./plan.js";
import { readSnapshot } from "./snapshot.js";
import { createStagingFolder, writeBackup, writeNewFile } from "./stage.js";

export interface WriteOptions {
  /** Overwrite (or delete) files edited by hand or unknown to the manifest. */
  readonly force?: boolean;
}

export interface WriteResult {
  readonly ok: boolean;
  /** Expected failures (HAL5001–HAL5003); never thrown. */
  readonly diagnostics: readonly Diagnostic[];
  /** Paths relative to OUT that were created, rewritten or had their mode fixed. */
  readonly written: readonly string[];
  readonly deleted: readonly string[];
}

export async function writeBundle(outDir: string, bundle: Bundle, options: WriteOptions = {}): Promise<WriteResult> {
  const snapshot = await readSnapshot(outDir, bundleFiles(bundle).map((f) => f.path));
  if (!snapshot.ok) return failed(snapshot.diagnostics);
  const changes = computeChanges(outDir, bundle, snapshot.snapshot, options.force ?? false);
  if (changes.diagnostics.length > 0) return failed(changes.diagnostics);
  // Idempotent: an up-to-date OUT is not touched at all, not even by a staging folder.
  if (changes.writes.length === 0 && changes.deletes.length === 0) return { ok: true, diagnostics: [], written: [], deleted: [] };

  const absOut = resolve(outDir);
  let createdAncestor: string | undefined;
  let staging: string | undefined;
  try {
    // OUT's parent must exist to hold the staging folder; remember what we created to remove it on failure.
    createdAncestor = await atPath(dirname(absOut), () => mkdir(dirname(absOut), { recursive: true }));
    staging = await atPath(dirname(absOut), () => createStagingFolder(absOut, snapshot.snapshot.outExists));
    const plan = await stage(outDir, staging, changes, snapshot.snapshot.outExists);
    await commit(outDir, plan);
    createdAncestor = undefined;
    return {
      ok: true,
      diagnostics: [],
      written: changes.writes.map((w) => w.file.path),
      deleted: changes.deletes.map((d) => d.path),
    };
  } catch (error) {
    if (error instanceof CommitError) {
      const notes =
        error.undoFailures.length > 0
          ? [{ message: `Restoring the previous state failed for ${describeUndoFailures(error.undoFailures)}; OUT is partly updated.` }]
          : [];
      return failed([diag("HAL5002", undefined, { path: error.failure.path, reason: describeFsError(error.failure.reason) }, notes)]);
    }
    if (error instanceof PathError) return failed([diag("HAL5002", undefined, { path: error.path, reason: describeFsError(error.reason) })]);
    throw error;
  } finally {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (createdAncestor !== undefined) await removeCreatedAncestors(dirname(absOut), createdAncestor);
  }
}

/** Writes every new file and every backup into the staging folder. OUT is not touched. */
async function stage(outDir: string, staging: string, changes: Changes, outExists: boolean): Promise<CommitPlan> {
  const writes: StagedWrite[] = [];
  let manifest: StagedWrite | undefined;
  for (const [index, { file, previous }] of changes.writes.entries()) {
    const target = join(outDir, file.path);
    const staged = join(staging, `new-${index}`);
    await atPath(target, () => writeNewFile(staged, file.contents, file.mode));
    const backupPath = join(staging, `old-${index}`);
    const backup = (await atPath(target, () => writeBackup(backupPath, previous))) ? backupPath : undefined;
    const write: StagedWrite = { path: file.path, staged, backup };
    if (file.path === MANIFEST_PATH) manifest = write;
    else writes.push(write);
  }
  const deletes = changes.deletes.map((d, index) => ({ path: d.path, parking: join(staging, `gone-${index}`) }));
  return { outExists, writes, deletes, manifest };
}

/** rmdir from `folder` up to and including `top` (the first folder mkdir -p created), while they are empty. */
async function removeCreatedAncestors(folder: string, top: string): Promise<void> {
  let current = folder;
  for (;;) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === top || relative(top, current).startsWith("..")) return;
    current = dirname(current);
  }
}

function failed(diagnostics: readonly Diagnostic[]): WriteResult {
  return { ok: false, diagnostics, written: [], deleted: [] };
}
