/** What an emitter produces: files relative to OUT, with the mode they must be written with. */

export interface EmittedFile {
  /** Relative to OUT, with `/` separators: `haproxy-server/haproxy.cfg`. */
  readonly path: string;
  readonly contents: string;
  /** 0o644 for plain files, 0o755 for scripts, 0o600 for anything holding a secret. */
  readonly mode: number;
}

/** Secret values by environment variable name, read once by the CLI; emitters never touch `process.env`. */
export type SecretValues = ReadonlyMap<string, string>;
