/**
 * Moving staged files into OUT, with an undo journal.
 *
 * What is atomic: each file. rename(2) replaces it in one step, so a reader (or a crash) sees the old
 * file or the new one, never a mix, and never a file with the wrong mode. The set of files is not
 * atomic (POSIX has no multi-file rename); it is made as close as possible by
 *   1. staging and fsyncing every file first, so nothing in OUT changes until all content is on disk;
 *   2. renaming in one quick pass, and undoing every step already done if one fails;
 *   3. renaming manifest.json last, so an interrupted run leaves the old manifest, and the files
 *      already renamed equal the bundle, which the next compile recognises as not hand-edited.
 */
import { mkdir, open, rename, rmdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { atPath, describeFsError, isFsError, PathError } from "./fs-error.js";
import { parentFolders } from "./paths.js";

export interface StagedWrite {
  /** Relative to OUT. */
  readonly path: string;
  /** The new file, in the staging folder. */
  readonly staged: string;
  /** A copy of what the path holds now, in the staging folder; undefined when the path is empty. */
  readonly backup: string | undefined;
}

export interface StagedDelete {
  readonly path: string;
  /** Where in the staging folder the file is moved; removing the staging folder then deletes it. */
  readonly parking: string;
}

export interface CommitPlan {
  readonly outExists: boolean;
  readonly writes: readonly StagedWrite[];
  readonly deletes: readonly StagedDelete[];
  readonly manifest: StagedWrite | undefined;
}

export class CommitError extends Error {
  override readonly name = "CommitError";
  constructor(
    readonly failure: PathError,
    /** Undo steps that failed too: OUT is then partly updated, and the user must be told. */
    readonly undoFailures: readonly PathError[],
  ) {
    super(failure.message);
  }
}

type Undo = { readonly path: string; readonly run: () => Promise<void> };

export async function commit(outDir: string, plan: CommitPlan): Promise<void> {
  const journal: Undo[] = [];
  const at = (path: string): string => join(outDir, path);
  try {
    if (!plan.outExists) {
      await atPath(outDir, () => mkdir(outDir));
      journal.push({ path: outDir, run: () => rmdir(outDir) });
    }
    for (const folder of foldersFor(plan.writes)) await ensureFolder(at(folder), journal);
    for (const write of plan.writes) await replace(at(write.path), write, journal);
    for (const del of plan.deletes) {
      const target = at(del.path);
      await atPath(target, () => rename(target, del.parking));
      journal.push({ path: target, run: () => rename(del.parking, target) });
    }
    await removeEmptiedFolders(outDir, plan.deletes, journal);
    if (plan.manifest) await replace(at(plan.manifest.path), plan.manifest, journal);
  } catch (error) {
    const undoFailures = await undo(journal);
    if (error instanceof PathError) throw new CommitError(error, undoFailures);
    throw error;
  }
  await syncFolders(outDir, plan);
}

async function replace(target: string, write: StagedWrite, journal: Undo[]): Promise<void> {
  await atPath(target, () => rename(write.staged, target));
  const backup = write.backup;
  journal.push({ path: target, run: backup === undefined ? () => unlink(target) : () => rename(backup, target) });
}

/** Folders the writes need, outermost first. */
function foldersFor(writes: readonly StagedWrite[]): string[] {
  const folders = new Set<string>();
  for (const write of writes) for (const folder of parentFolders(write.path)) folders.add(folder);
  return [...folders].sort((a, b) => a.split("/").length - b.split("/").length);
}

async function ensureFolder(absolute: string, journal: Undo[]): Promise<void> {
  try {
    await mkdir(absolute, { mode: 0o755 });
    journal.push({ path: absolute, run: () => rmdir(absolute) });
  } catch (error) {
    if (!(isFsError(error) && error.code === "EEXIST")) throw new PathError(absolute, error);
    const isFolder = await stat(absolute).then((s) => s.isDirectory(), () => false);
    if (!isFolder) throw new PathError(absolute, Object.assign(new Error("not a folder"), { code: "ENOTDIR" }));
  }
}

/** Node folders left empty by deleted files (a removed node) go too; OUT itself stays. Cosmetic, so errors are ignored. */
async function removeEmptiedFolders(outDir: string, deletes: readonly StagedDelete[], journal: Undo[]): Promise<void> {
  const candidates = new Set<string>();
  for (const del of deletes) for (const folder of parentFolders(del.path)) candidates.add(folder);
  const deepestFirst = [...candidates].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const folder of deepestFirst) {
    const absolute = join(outDir, folder);
    try {
      await rmdir(absolute);
      journal.push({ path: absolute, run: () => mkdir(absolute) });
    } catch {
      // Not empty (the user keeps something there) or not removable: leave it.
    }
  }
}

async function undo(journal: readonly Undo[]): Promise<PathError[]> {
  const failures: PathError[] = [];
  for (const step of [...journal].reverse()) {
    try {
      await step.run();
    } catch (error) {
      failures.push(new PathError(step.path, error));
    }
  }
  return failures;
}

/** fsync the folders whose entries changed, so the renames survive a power loss. Best effort: not every platform can. */
async function syncFolders(outDir: string, plan: CommitPlan): Promise<void> {
  const folders = new Set<string>([outDir]);
  for (const item of [...plan.writes, ...plan.deletes]) {
    const parents = parentFolders(item.path);
    const parent = parents[parents.length - 1];
    if (parent !== undefined) folders.add(join(outDir, parent));
  }
  for (const folder of folders) {
    try {
      const handle = await open(folder, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // e.g. the folder was removed as emptied, or the platform refuses fsync on folders.
    }
  }
}

export function describeUndoFailures(failures: readonly PathError[]): string {
  return failures.map((f) => `${f.path} (${describeFsError(f.reason)})`).join(", ");
}
