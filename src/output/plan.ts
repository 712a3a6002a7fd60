/** Turning the emitters' files into a bundle: the same files, sorted and checked, plus manifest.json. Pure. */
import type { EmittedFile } from "../emit/types.js";
import { InternalError } from "../util/internal-error.js";
import { HALB_VERSION } from "../version.js";
import { sha256 } from "./hash.js";
import { MANIFEST_PATH, manifestMode, serializeManifest, type Manifest } from "./manifest.js";
import { PERMISSION_BITS } from "./mode.js";
import { comparePaths, isSafeRelativePath, parentFolders } from "./paths.js";

export interface Bundle {
  /** Every file but the manifest, sorted by path. */
  readonly files: readonly EmittedFile[];
  /** Kept apart because it is written last: its presence marks a complete compile. */
  readonly manifest: EmittedFile;
}

export interface SpecMeta {
  /** As it should appear in the manifest (the CLI passes the file name, or `-` for standard input). */
  readonly specName: string;
  readonly specSha256: string;
}

/** Every file of the bundle, manifest last: the order in which they are written. */
export function bundleFiles(bundle: Bundle): EmittedFile[] {
  return [...bundle.files, bundle.manifest];
}

/**
 * Throws InternalError for a path that could escape OUT, a duplicate, a file that would also have to
 * be a folder, or a mode outside 0o777: those are emitter bugs, not user errors.
 */
export function planOutput(files: readonly EmittedFile[], meta: SpecMeta): Bundle {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  const paths = new Set<string>();
  for (const file of sorted) {
    if (!isSafeRelativePath(file.path)) throw new InternalError(`emitted file path ${JSON.stringify(file.path)} is not a safe relative path`);
    if (file.path === MANIFEST_PATH) throw new InternalError(`${MANIFEST_PATH} is written by the output stage, not by an emitter`);
    if (paths.has(file.path)) throw new InternalError(`${file.path} is emitted twice`);
    if (!Number.isInteger(file.mode) || (file.mode & ~PERMISSION_BITS) !== 0) {
      throw new InternalError(`${file.path} has mode ${file.mode}, outside 0o777`);
    }
    paths.add(file.path);
  }
  for (const path of paths) {
    for (const folder of parentFolders(path)) {
      if (paths.has(folder) || folder === MANIFEST_PATH) throw new InternalError(`${folder} is emitted as a file and used as a folder`);
    }
  }

  const manifest: Manifest = {
    halbVersion: HALB_VERSION,
    spec: { name: meta.specName, sha256: meta.specSha256 },
    files: sorted.map((f) => ({ path: f.path, sha256: sha256(f.contents), mode: f.mode })),
  };
  return {
    files: sorted,
    manifest: { path: MANIFEST_PATH, contents: serializeManifest(manifest), mode: manifestMode(manifest) },
  };
}
