/** Writing a compiled bundle into OUT (`halb compile`) or comparing it with OUT (`--check`). */
export { planOutput, bundleFiles, type Bundle, type SpecMeta } from "./plan.js";
export { writeBundle, type WriteOptions, type WriteResult } from "./write.js";
export { checkBundle, type CheckResult } from "./check.js";
export { sha256 } from "./hash.js";
export { MANIFEST_PATH, parseManifest, type Manifest, type ManifestEntry } from "./manifest.js";
