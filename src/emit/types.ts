/** What an emitter produces: files relative to OUT, with the mode they must be written with. */

export interface EmittedFile {
  /** Relative to OUT, with `/` separators: `haproxy-server/haproxy.cfg`. */
  readonly path: string;
  readonly contents: string;
  /** 0o644 for plain files, 0o755 for scripts, 0o600 for anything holding a secret. */
  readonly mode: number;
}

/**
 * The values of the environment variables the IR names (secrets and other text), read once by the
 * CLI; emitters never touch `process.env`.
 */
export type SecretValues = ReadonlyMap<string, string>;
