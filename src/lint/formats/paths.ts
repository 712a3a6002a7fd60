/**
 * File names as CI tools want them. Findings carry the name the user typed (relative to the
 * working directory, or absolute); GitHub wants paths relative to the repository root with `/`,
 * and SARIF wants URIs. Pure: only path arithmetic, no file system.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

/** `fixtures/a.hal` for a file below cwd, else the absolute path (still with `/`). */
export function relativePath(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  const inside = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  return (inside ? rel : absolute).split(sep).join("/");
}

/**
 * A SARIF artifact location: relative to `%SRCROOT%` (the working directory) when the file is
 * below it, so the report stays valid on another checkout; an absolute `file:` URI otherwise.
 */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const path = relativePath(file, cwd);
  if (path.startsWith("/") || /^[A-Za-z]:\//.test(path)) return { uri: pathToFileURL(resolve(cwd, file)).href };
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

export const SRCROOT = "%SRCROOT%";

/** The working directory as a file URI ending in `/`, what `%SRCROOT%` stands for. */
export function rootUri(cwd: string): string {
  const href = pathToFileURL(resolve(cwd)).href;
  return href.endsWith("/") ? href : `${href}/`;
}
