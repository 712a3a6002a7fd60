/**
 * The package's own folder (package.json, schemas/, docs/), found from wherever this code runs:
 * src/ under vitest, dist/ after tsc, or the one-file bundle bin/halb loads. Every path to a file
 * the package ships is made from here.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "schemas"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find halb's package folder above ${start}`);
  }
}

export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

export const PACKAGE_JSON = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { readonly version: string; readonly homepage: string };

/** A file the package ships, by its path relative to the package folder. */
export function packagePath(relative: string): string {
  return join(PACKAGE_ROOT, relative);
}
