/**
 * The one place that decides indentation, line endings and quoting of every generated file.
 * Emitters build text with a ConfigWriter and quote values with the functions below; nothing
 * else concatenates newlines or escapes characters.
 *
 * Quoting rules were checked against the real daemons (HAProxy 2.6.12, Keepalived 2.2.7):
 * - HAProxy: inside "…", `\"`, `\\` and `\$` are literal characters, `#` is literal, and
 *   `${NAME}` is expanded from HAProxy's environment.
 * - Keepalived: unquoted `#` and `!` start a comment; inside "…" backslash escapes are decoded
 *   (`\\` → `\`, `\x41` → `A`) before the quotes are matched, so a `"` cannot be written at all.
 * - systemd EnvironmentFile: inside "…", `\"`, `\\`, `` \` `` and `\$` are literal characters
 *   (systemd.exec(5)); a line break would be kept verbatim, but a secret never holds one.
 * - sh: '…' is literal; `'` is written as `'\''`.
 */
import { InternalError } from "../util/internal-error.js";

export type Word = string | number;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Lines of text with a current indentation depth; renders with LF endings and one final newline. */
export class ConfigWriter {
  readonly #lines: string[] = [];
  /** Per line, the IR pointer it was written for (see from()). */
  readonly #origins: (string | undefined)[] = [];
  #origin: string | undefined;
  #depth = 0;

  constructor(private readonly indentUnit = "    ") {}

  /** One line: the words joined by single spaces, at the current depth. Words must already be quoted. */
  line(...words: readonly Word[]): this {
    const text = words.map(String).join(" ");
    if (/[\r\n]/.test(text)) throw new InternalError(`line break inside a generated line: ${JSON.stringify(text)}`);
    this.#lines.push(text === "" ? "" : this.indentUnit.repeat(this.#depth) + text);
    this.#origins.push(this.#origin);
    return this;
  }

  /**
   * Lines written by `body` come from this IR pointer (`/haproxy/backends/0`), or from a part of the
   * current one (`servers/2`): `halb lint --verify` maps a daemon's complaint about a line back to
   * the spec through these and the IR's source map.
   */
  from(pointer: string, body: () => void): this {
    const saved = this.#origin;
    this.#origin = pointer.startsWith("/") ? pointer : `${saved ?? ""}/${pointer}`;
    try {
      body();
    } finally {
      this.#origin = saved;
    }
    return this;
  }

  /** The IR pointer of each line of text() (index 0 is line 1). */
  origins(): readonly (string | undefined)[] {
    return this.#origins.slice(0, this.#visibleLineCount());
  }

  /** `# text` at the current depth. */
  comment(text: string): this {
    return this.line(`# ${oneLine(text)}`);
  }

  /** An empty line; never two in a row, never at the start. */
  blank(): this {
    const last = this.#lines.at(-1);
    if (last !== undefined && last !== "") {
      this.#lines.push("");
      this.#origins.push(undefined);
    }
    return this;
  }

  /** HAProxy style: an unindented header line, its body indented below it, then a blank line. */
  section(header: string, body: () => void): this {
    this.line(header);
    this.#indented(body);
    return this.blank();
  }

  /** Keepalived style: `header {`, the body indented, `}`. */
  block(header: string, body: () => void): this {
    this.line(`${header} {`);
    this.#indented(body);
    return this.line("}");
  }

  /** The text: LF line endings, no trailing blank lines, exactly one final newline. */
  text(): string {
    return this.#lines.slice(0, this.#visibleLineCount()).join("\n") + "\n";
  }

  #visibleLineCount(): number {
    let count = this.#lines.length;
    while (count > 0 && this.#lines[count - 1] === "") count--;
    return count;
  }

  #indented(body: () => void): void {
    this.#depth += 1;
    try {
      body();
    } finally {
      this.#depth -= 1;
    }
  }
}

/** Text for a comment: control characters (line breaks included) become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, " ");
}

function noControl(value: string, where: string): void {
  if (CONTROL.test(value)) throw new InternalError(`control character in a ${where} value: ${JSON.stringify(value)}`);
}

// ── HAProxy ──────────────────────────────────────────────────────────────────

const HAPROXY_BARE = /^[A-Za-z0-9_.:/@%+,=~^*!?()<>|&[\]-]+$/;

/** `"…"` for HAProxy, with `\`, `"` and `$` escaped: the value is taken literally. */
export function haproxyQuoted(value: string): string {
  noControl(value, "HAProxy");
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** A literal HAProxy word: bare when that is safe, else double-quoted. */
export function haproxyWord(value: string): string {
  noControl(value, "HAProxy");
  return HAPROXY_BARE.test(value) ? value : haproxyQuoted(value);
}

/** A piece of a double-quoted HAProxy word: literal text, or a variable HAProxy expands at start-up. */
export type QuotedPart = string | { readonly env: string };

/** `"literal${NAME}literal"` for HAProxy: literals escaped, variables expanded from HAProxy's environment. */
export function haproxyQuotedParts(parts: readonly QuotedPart[]): string {
  const body = parts.map((part) => {
    if (typeof part === "string") return haproxyQuoted(part).slice(1, -1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part.env)) throw new InternalError(`bad environment variable name ${part.env}`);
    return `\${${part.env}}`;
  });
  return `"${body.join("")}"`;
}

// ── Keepalived ───────────────────────────────────────────────────────────────

/** `"…"` for Keepalived, `\` escaped. A `"` cannot be expressed (see above): the analyzer refuses it. */
export function keepalivedQuoted(value: string): string {
  noControl(value, "Keepalived");
  if (value.includes('"')) throw new InternalError(`a double quote cannot be written in keepalived.conf: ${JSON.stringify(value)}`);
  return `"${value.replace(/\\/g, "\\\\")}"`;
}

const KEEPALIVED_BARE = /^[A-Za-z0-9_.:/@%+,=~^*?()<>|&[\]-]+$/;

/** A Keepalived word: bare when that is safe, else double-quoted. */
export function keepalivedWord(value: string): string {
  noControl(value, "Keepalived");
  return KEEPALIVED_BARE.test(value) ? value : keepalivedQuoted(value);
}

// ── sh and systemd ───────────────────────────────────────────────────────────

/** A POSIX sh single-quoted literal; any string at all, line breaks included. */
export function shQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A double-quoted value for a systemd EnvironmentFile; one line, so no line breaks (the analyzer refuses them). */
export function systemdEnvQuoted(value: string): string {
  if (/[\0\r\n]/.test(value)) throw new InternalError("line break or NUL in an environment value");
  return `"${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}
