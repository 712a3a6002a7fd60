/** haproxy.env: the values of the secrets haproxy.cfg expands as `"${NAME}"`. */
import type { Ir } from "../ir/types.js";
import { ConfigWriter, systemdEnvQuoted } from "./config-writer.js";
import { writeHeader } from "./header.js";
import type { SecretValues } from "./types.js";
import { secretValue } from "./secrets.js";

/**
 * ```
 * STATS_PASS="s3cret"
 * ```
 * Double-quoted with `\"`, `\\`, `` \` `` and `\$` escaped: systemd EnvironmentFile syntax.
 */
export function emitHaproxyEnv(ir: Ir, nodeName: string, envNames: readonly string[], secrets: SecretValues): string {
  const w = new ConfigWriter();
  writeHeader(w, ir, nodeName);
  w.comment("The environment haproxy.cfg expands as \"${NAME}\" (secrets among it); readable by root only.");
  w.comment("Use it from haproxy.service:");
  w.comment("EnvironmentFile=/etc/haproxy/haproxy.env");
  for (const name of envNames) w.line(`${name}=${systemdEnvQuoted(secretValue({ env: name }, secrets))}`);
  return w.text();
}
