/**
 * `halb lint` without arguments: every `*.hal` below a folder, in a stable order, skipping
 * node_modules, hidden folders (.git) and the config's `ignore` entries. Names are relative to
 * the folder, as a person in it would type them.
 */
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

export function discoverSpecs(root: string, ignore: readonly string[] = []): string[] {
  const found: string[] = [];
  const ignored = new Set(ignore);
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (ignored.has(path) || entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
      } else if (entry.isFile() && entry.name.endsWith(".hal")) {
        found.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  walk(root);
  return found;
}
