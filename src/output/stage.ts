/**
 * The staging folder: every new file is written and fsynced there first, then renamed into OUT.
 * rename(2) is atomic only within one file system, so the folder sits next to OUT (same parent),
 * or inside OUT when OUT is a mount point or its parent is not writable.
 */
import { mkdtemp, open, stat, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isFsError } from "./fs-error.js";
import type { DiskEntry } from "./snapshot.js";

export async function createStagingFolder(absOut: string, outExists: boolean): Promise<string> {
  const sibling = join(dirname(absOut), `.${basename(absOut)}.halb-`);
  if (outExists && (await isMountPoint(absOut))) return mkdtemp(join(absOut, ".halb-staging-"));
  try {
    // mkdtemp makes the folder 0700: nobody else can even list the staged files.
    return await mkdtemp(sibling);
  } catch (error) {
    const denied = isFsError(error) && (error.code === "EACCES" || error.code === "EPERM" || error.code === "EROFS");
    if (outExists && denied) return mkdtemp(join(absOut, ".halb-staging-"));
    throw error;
  }
}

async function isMountPoint(absOut: string): Promise<boolean> {
  const [out, parent] = await Promise.all([stat(absOut), stat(dirname(absOut))]);
  return out.dev !== parent.dev;
}

/**
 * Creates `path` (which must not exist) with exactly `mode`, then writes and fsyncs `data`.
 * The mode is given to open(2), so a private file is never readable by others, not even empty;
 * fchmod then sets it exactly, because open's mode is filtered by the umask (a 0755 script must not
 * end up 0700 under umask 077). Both happen before the first byte is written.
 * 'wx' (O_CREAT|O_EXCL) also refuses to follow a symbolic link planted at the path.
 */
export async function writeNewFile(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, "wx", mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A copy of what a write will replace, so a failed commit can put it back. */
export async function writeBackup(path: string, previous: DiskEntry): Promise<boolean> {
  if (previous.kind === "file") {
    await writeNewFile(path, previous.contents, previous.mode);
    return true;
  }
  if (previous.kind === "symlink") {
    await symlink(previous.target, path);
    return true;
  }
  return false;
}
