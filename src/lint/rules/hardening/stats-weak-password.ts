import type { SpecRule } from "../../rule.js";
import { argSpan } from "../../statements.js";
import { userText, writtenStatsPasswords } from "./stats-access.js";

/** Passwords tried first by anyone guessing a login page; compared without case. */
const COMMON_PASSWORDS = new Set([
  "password", "password1", "passw0rd", "admin", "admin123", "administrator", "root", "toor", "haproxy", "stats", "statistics",
  "changeme", "secret", "letmein", "welcome", "default", "qwerty", "qwertyuiop", "123456", "12345678", "123456789", "1234567890",
  "abc123", "iloveyou", "test", "test1234",
]);

const MIN_LENGTH = 8;

/**
 * The stats login is HTTP basic authentication, with no lockout: a short, common or user-named
 * password falls to the first guesses. Only passwords written in the spec can be judged; the
 * message names the weakness, never the password.
 */
export const statsWeakPassword: SpecRule = {
  meta: {
    id: "HAP021",
    name: "stats-weak-password",
    category: "haproxy",
    severity: "warning",
    summary: "A stats password written in the spec that is short, common, or the user name.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const { auth, password } of writtenStatsPasswords(spec.model.stats)) {
      const user = typeof auth.user === "string" ? auth.user : null;
      const weakness = weaknessOf(password, user);
      if (!weakness) continue;
      const who = `\`${userText(auth.user)}\``;
      report({
        span: argSpan(spec, auth.span, 1),
        message: `The stats password of user ${who} ${weakness}: HAProxy's basic authentication has no lockout, so it falls to the first guesses.`,
        notes: [{ message: `use a random password of at least ${MIN_LENGTH} characters, kept out of the spec with \`env(STATS_PASS)\`` }],
      });
    }
  },
};

/** Why a password is weak (a phrase that never contains it), or null. */
function weaknessOf(password: string, user: string | null): string | null {
  if (user !== null && password.toLowerCase() === user.toLowerCase()) return "is the user name";
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return "is one of the most common passwords";
  if ([...password].length < MIN_LENGTH) return `is shorter than ${MIN_LENGTH} characters`;
  return null;
}
