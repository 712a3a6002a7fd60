/** Turning an IR secret reference into the value a daemon needs, for the files that must hold it. */
import type { IrSecret } from "../ir/types.js";
import type { SecretValues } from "./types.js";
import { InternalError } from "../util/internal-error.js";

export function secretValue(secret: IrSecret, values: SecretValues): string {
  if ("value" in secret) return secret.value;
  const value = values.get(secret.env);
  // The analyzer already refused a spec whose variables are missing, so this is a bug if it happens.
  if (value === undefined) throw new InternalError(`secret ${secret.env} was not resolved before emitting`);
  return value;
}
