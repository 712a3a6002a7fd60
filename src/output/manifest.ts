/**
 * manifest.json: what halb wrote into OUT, so the next compile can tell its own files from hand edits.
 * It lists every file except itself; paths are sorted, so the same bundle always gives the same bytes.
 */
import { formatMode, isPrivateMode, parseMode } from "./mode.js";
import { comparePaths, isSafeRelativePath } from "./paths.js";

export const MANIFEST_PATH = "manifest.json";
/** Bumped when the shape changes; an older halb then treats the manifest as unknown (refused without --force). */
export const MANIFEST_FORMAT = 1;

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly mode: number;
}

export interface Manifest {
  readonly halbVersion: string;
  readonly spec: { readonly name: string; readonly sha256: string };
  /** Sorted by path. */
  readonly files: readonly ManifestEntry[];
}

export function serializeManifest(manifest: Manifest): string {
  const files = [...manifest.files].sort((a, b) => comparePaths(a.path, b.path));
  // Keys are written in this fixed order; JSON.stringify keeps insertion order.
  const json = {
    format: MANIFEST_FORMAT,
    halb: manifest.halbVersion,
    spec: { name: manifest.spec.name, sha256: manifest.spec.sha256 },
    files: files.map((f) => ({ path: f.path, sha256: f.sha256, mode: formatMode(f.mode) })),
  };
  return JSON.stringify(json, null, 2) + "\n";
}

/**
 * A sha256 of a short secret (an 8-character VRRP password) can be brute-forced, so a manifest that
 * lists a private file is itself private.
 */
export function manifestMode(manifest: Manifest): number {
  return manifest.files.some((f) => isPrivateMode(f.mode)) ? 0o600 : 0o644;
}

export type ParsedManifest = { readonly ok: true; readonly manifest: Manifest } | { readonly ok: false; readonly reason: string };

const SHA256 = /^[0-9a-f]{64}$/;

/** Reads a manifest back. Anything unexpected is refused with a reason: its paths decide what halb deletes. */
export function parseManifest(text: string): ParsedManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "it is not valid JSON" };
  }
  if (!isObject(value)) return { ok: false, reason: "it is not a JSON object" };
  if (value["format"] !== MANIFEST_FORMAT) return { ok: false, reason: `its format is not ${MANIFEST_FORMAT}` };
  const halb = value["halb"];
  const spec = value["spec"];
  const files = value["files"];
  if (typeof halb !== "string") return { ok: false, reason: "`halb` is not a string" };
  if (!isObject(spec) || typeof spec["name"] !== "string" || typeof spec["sha256"] !== "string") {
    return { ok: false, reason: "`spec` is not an object with `name` and `sha256`" };
  }
  if (!Array.isArray(files)) return { ok: false, reason: "`files` is not an array" };
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  for (const [index, file] of files.entries()) {
    const entry = parseEntry(file);
    if (entry === undefined) return { ok: false, reason: `entry ${index} of \`files\` is not a valid file entry` };
    if (seen.has(entry.path)) return { ok: false, reason: `${entry.path} is listed twice` };
    seen.add(entry.path);
    entries.push(entry);
  }
  return {
    ok: true,
    manifest: { halbVersion: halb, spec: { name: spec["name"], sha256: spec["sha256"] }, files: entries },
  };
}

function parseEntry(value: unknown): ManifestEntry | undefined {
  if (!isObject(value)) return undefined;
  const { path, sha256, mode } = value;
  if (typeof path !== "string" || !isSafeRelativePath(path) || path === MANIFEST_PATH) return undefined;
  if (typeof sha256 !== "string" || !SHA256.test(sha256)) return undefined;
  const parsedMode = typeof mode === "string" ? parseMode(mode) : undefined;
  if (parsedMode === undefined) return undefined;
  return { path, sha256, mode: parsedMode };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
