/**
 * The options HAProxy 2.6 reads from a statistics URI after the configured prefix. Like HAProxy,
 * each is found anywhere in that remainder (query string included): `;csv`, `;json`, `;typed`,
 * `;up` (hide DOWN servers), `;no-maint`, `;norefresh`, `;st=<CODE>` (the outcome of an admin
 * action, shown as a message) and `scope=<text>` (only proxies whose name contains it).
 */

/** The outcomes of an admin POST, as the redirect after it reports them (`;st=DONE`). */
export const ADMIN_STATUS_CODES = ["DONE", "NONE", "PART", "ERRP", "EXCD", "DENY", "IVAL", "UNKN"] as const;
export type AdminStatusCode = (typeof ADMIN_STATUS_CODES)[number];

/** HAProxy keeps at most this many characters of `scope=`. */
const SCOPE_MAX_LENGTH = 20;

export interface StatsUriOptions {
  readonly format: "html" | "csv" | "json" | "typed";
  readonly hideDown: boolean;
  readonly hideMaint: boolean;
  readonly noRefresh: boolean;
  /** `;st=`: an admin outcome to show; a code HAProxy does not know reads as UNKN. */
  readonly adminStatus: AdminStatusCode | null;
  readonly scope: string | null;
}

/** Reads the options from what follows the stats URI prefix. */
export function parseStatsUriOptions(afterPrefix: string): StatsUriOptions {
  const format = afterPrefix.includes(";csv") ? "csv" : afterPrefix.includes(";typed") ? "typed" : afterPrefix.includes(";json") ? "json" : "html";
  return {
    format,
    hideDown: afterPrefix.includes(";up"),
    hideMaint: afterPrefix.includes(";no-maint"),
    noRefresh: afterPrefix.includes(";norefresh"),
    adminStatus: adminStatusOf(afterPrefix),
    scope: scopeOf(afterPrefix),
  };
}

function adminStatusOf(text: string): AdminStatusCode | null {
  const at = text.indexOf(";st=");
  if (at < 0) return null;
  const code = text.slice(at + 4, at + 8);
  return ADMIN_STATUS_CODES.find((known) => known === code) ?? "UNKN";
}

/** `scope=` up to `&` or `;`, at most 20 characters; ignored unless it is a plain name fragment. */
function scopeOf(text: string): string | null {
  const at = text.indexOf("scope=");
  if (at < 0) return null;
  const rest = text.slice(at + "scope=".length);
  const end = rest.search(/[&;]/);
  const value = (end < 0 ? rest : rest.slice(0, end)).slice(0, SCOPE_MAX_LENGTH);
  return value !== "" && /^[A-Za-z0-9._:-]+$/.test(value) ? value : null;
}
