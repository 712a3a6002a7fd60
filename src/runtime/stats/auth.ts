/**
 * HTTP Basic authentication of the statistics page (`stats auth user:password`, repeatable) as
 * HAProxy 2.6 answers it: without valid credentials, 401 with
 * `WWW-Authenticate: Basic realm="<realm>"`, the realm being `stats realm` or "HAProxy Statistics".
 *
 * Credentials are compared as SHA-256 digests with crypto.timingSafeEqual, against every user
 * without stopping at a match, so the time taken says nothing about which part was wrong. Only
 * the digests are kept; nothing here logs or returns a password.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IrSecret, IrStatsAuth, IrText } from "../../ir/types.js";

/** HAProxy's default `stats realm`. */
export const DEFAULT_STATS_REALM = "HAProxy Statistics";

/** Reads an environment variable (process.env in production, a map in tests). */
export type EnvResolver = (name: string) => string | undefined;

interface CredentialDigest {
  readonly user: Buffer;
  readonly password: Buffer;
}

function digest(bytes: Buffer | string): Buffer {
  return createHash("sha256").update(bytes).digest();
}

export class StatsAuth {
  private constructor(
    /** Basic auth is asked for: the spec lists at least one user. */
    readonly required: boolean,
    readonly realm: string,
    private readonly credentials: readonly CredentialDigest[],
  ) {}

  /**
   * Resolves the users' names and passwords. A user whose name or password comes from an unset
   * environment variable cannot log in (HAProxy would expand it to an empty string and accept an
   * empty password); each such case is described in `problems`, naming the variable only.
   */
  static fromIr(auth: readonly IrStatsAuth[], realm: IrText | undefined, resolveEnv: EnvResolver): { auth: StatsAuth; problems: string[] } {
    const problems: string[] = [];
    const credentials: CredentialDigest[] = [];
    for (const [index, entry] of auth.entries()) {
      const user = resolveText(entry.user, resolveEnv);
      const password = resolveSecret(entry.password, resolveEnv);
      const who = typeof entry.user === "string" ? `stats user ${entry.user}` : `stats user #${index + 1}`;
      if (user === undefined) problems.push(`${who} cannot log in: environment variable ${envName(entry.user)} is not set`);
      else if (password === undefined) problems.push(`${who} cannot log in: environment variable ${envName(entry.password)} is not set`);
      else credentials.push({ user: digest(user), password: digest(password) });
    }
    const resolvedRealm = realm === undefined ? DEFAULT_STATS_REALM : resolveText(realm, resolveEnv);
    if (resolvedRealm === undefined) problems.push(`stats realm: environment variable ${envName(realm)} is not set, using "${DEFAULT_STATS_REALM}"`);
    return { auth: new StatsAuth(auth.length > 0, resolvedRealm ?? DEFAULT_STATS_REALM, credentials), problems };
  }

  /** True when no authentication is asked for, or the Authorization header holds valid Basic credentials. */
  allows(authorization: string | undefined): boolean {
    if (!this.required) return true;
    const presented = parseBasic(authorization);
    if (presented === null) return false;
    const user = digest(presented.user);
    const password = digest(presented.password);
    let matched = 0;
    for (const credential of this.credentials) {
      // Bitwise, not &&: every comparison runs whatever the outcome.
      matched |= Number(timingSafeEqual(user, credential.user)) & Number(timingSafeEqual(password, credential.password));
    }
    return matched === 1;
  }

  /** The header value of the 401 challenge. */
  challenge(): string {
    return `Basic realm="${this.realm.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  }
}

/** `Basic <base64(user:password)>`, compared as raw bytes; the user ends at the first colon. */
function parseBasic(authorization: string | undefined): { user: Buffer; password: Buffer } | null {
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64");
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return null;
  return { user: decoded.subarray(0, colon), password: decoded.subarray(colon + 1) };
}

function resolveText(text: IrText, resolveEnv: EnvResolver): string | undefined {
  return typeof text === "string" ? text : resolveEnv(text.env);
}

function resolveSecret(secret: IrSecret, resolveEnv: EnvResolver): string | undefined {
  return "value" in secret ? secret.value : resolveEnv(secret.env);
}

function envName(reference: IrText | IrSecret | undefined): string {
  return typeof reference === "object" && "env" in reference ? reference.env : "(none)";
}
