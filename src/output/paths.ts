/** Paths inside OUT: `/`-separated, relative, and unable to point outside OUT. */

/**
 * True for `ir.json` or `node-a/haproxy.cfg`; false for absolute paths, `..`, `.`, empty segments,
 * backslashes and NUL. Paths read back from an old manifest.json pass through this too, so a tampered
 * manifest cannot make halb delete or overwrite a file outside OUT.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.includes("\\") || path.includes("\0")) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** The folders a relative path lives in, outermost first: `a/b/c` → `["a", "a/b"]`. */
export function parentFolders(path: string): string[] {
  const segments = path.split("/");
  const folders: string[] = [];
  for (let i = 1; i < segments.length; i++) folders.push(segments.slice(0, i).join("/"));
  return folders;
}

/** Code-point order, independent of the locale, so manifests sort the same everywhere. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
