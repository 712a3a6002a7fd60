/**
 * Fixture cases: the sub-folders of a fixtures folder that hold an `input.hal`, sorted by name.
 * Folders are named relative to the repository root (`fixtures/errors`), the way a user in the
 * repository names a spec, so include paths and messages read the same on every machine.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root, whatever the working directory of the test run. */
export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** The names of the cases under `root` (relative to the repository root, or absolute). */
export function caseFolders(root: string): string[] {
  const folder = resolve(REPO_ROOT, root);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, "input.hal")))
    .map((entry) => entry.name)
    .sort();
}

export interface CaseDir {
  readonly name: string;
  /** `fixtures/KIND/NAME`, relative to the repository root. */
  readonly dir: string;
}

/** The cases of `fixtures/KIND/`, with their folders. */
export function caseDirs(kind: string): CaseDir[] {
  return caseFolders(`fixtures/${kind}`).map((name) => ({ name, dir: `fixtures/${kind}/${name}` }));
}
