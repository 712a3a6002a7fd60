/** Writing compiled files to a temporary OUT with their modes, for the daemons to read. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { EmittedFile } from "../../src/emit/types.js";

export function writeTempOut(files: readonly EmittedFile[], prefix = "halb-test-"): string {
  const out = mkdtempSync(join(tmpdir(), prefix));
  for (const file of files) {
    const path = join(out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents, { mode: file.mode });
    chmodSync(path, file.mode);
  }
  return out;
}

/** `NAME=value` lines of an emitted haproxy.env, for running `haproxy -c` with the node's environment. */
export function parseEnvFile(contents: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of contents.split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
    else if (value.startsWith("'") && value.endsWith("'")) value = value.slice(1, -1);
    env[match[1]!] = value;
  }
  return env;
}
