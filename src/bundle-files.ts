/** The files of OUT except the manifest: ir.json and every node's files, as `halb compile` writes them. */
import { emitAll } from "./emit/index.js";
import type { EmittedFile, SecretValues } from "./emit/types.js";
import { irSecrets } from "./ir/secrets.js";
import { serializeIr } from "./ir/serialize.js";
import type { Ir } from "./ir/types.js";

export function bundleFiles(ir: Ir, envValues: SecretValues): EmittedFile[] {
  // The IR holds a secret only when the spec wrote one in clear; then ir.json is private too.
  const private_ = irSecrets(ir).some((secret) => "value" in secret);
  return [{ path: "ir.json", contents: serializeIr(ir), mode: private_ ? 0o600 : 0o644 }, ...emitAll(ir, envValues)];
}
