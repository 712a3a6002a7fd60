/** File modes as manifest.json records them, and which of them mark a file that holds a secret. */

/** Only permission bits: halb never writes setuid, setgid or sticky files. */
export const PERMISSION_BITS = 0o777;

/** `0o644` → `"0644"`: the form `chmod` and `ls` users read. */
export function formatMode(mode: number): string {
  return "0" + (mode & PERMISSION_BITS).toString(8).padStart(3, "0");
}

/** `"0644"` → `0o644`, or undefined for anything that is not exactly four octal digits with a leading 0. */
export function parseMode(text: string): number | undefined {
  return /^0[0-7]{3}$/.test(text) ? Number.parseInt(text, 8) : undefined;
}

/**
 * A file nobody but its owner may read or write holds a secret (emitters give such files 0o600).
 * Its contents are never printed, and a manifest that lists its hash is private too.
 */
export function isPrivateMode(mode: number): boolean {
  return (mode & 0o077) === 0;
}
