/** Content hashes for manifest.json and hand-edit detection. */
import { createHash } from "node:crypto";

/** Lower-case hex SHA-256. Strings are hashed as UTF-8, the encoding every file in OUT is written in. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
