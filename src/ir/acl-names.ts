/** Readable, deterministic ACL names: `host_www_zb_com`, `path_api`, `path_root`; `_2`, `_3` when two differ only in punctuation. */
export function aclName(kind: "host" | "path", value: string, taken: ReadonlySet<string>): string {
  const words = value.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  const base = `${kind}_${words || "root"}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}
