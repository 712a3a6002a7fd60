/**
 * A finding's identity that survives edits elsewhere in the file: a hash of the rule, the file and
 * the text of the line it points at (whitespace-normalised, so re-indenting keeps it), numbered
 * when the same rule flags identical lines in one file. Line numbers are left out on purpose:
 * GitHub code scanning matches alerts across commits by these, and lines move.
 */
import { createHash } from "node:crypto";

export const FINGERPRINT_KEY = "halbLineHash/v1";

export class Fingerprints {
  private readonly seen = new Map<string, number>();

  /** `<32 hex digits>:<occurrence>`; call in report order so occurrences are stable. */
  next(ruleId: string, file: string, lineText: string): string {
    const hash = createHash("sha256").update(`${ruleId}\n${file}\n${lineText.trim().replace(/\s+/g, " ")}`).digest("hex").slice(0, 32);
    const occurrence = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  }
}
