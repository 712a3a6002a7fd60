/**
 * Reading a statement's arguments one by one, with a precise diagnostic for each thing that is
 * missing, surplus or of the wrong kind. Every section interpreter goes through this cursor, so
 * messages read the same everywhere.
 */
import type { Arg, Directive } from "../ast/nodes.js";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { IrSecret, IrText } from "../ir/types.js";

/** What analysis needs from its surroundings. */
export interface AnalyzeContext {
  readonly diagnostics: Diagnostic[];
  /** The environment `env(NAME)` reads from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * `unknown` (lint): a variable is not looked up, so a secret's value is never needed to lint a
   * spec; checks on the value are skipped, and text taken whole reads as the variable's name.
   */
  readonly envValues?: "required" | "unknown";
}

/** HAProxy keeps timers in a signed 32-bit count of milliseconds: about 24.8 days. */
const MAX_DURATION_MS = 2_147_483_647;

export class ArgReader {
  private index = 0;

  constructor(
    private readonly ctx: AnalyzeContext,
    /** The statement as a person would name it in a message: `timeout`, `node web1`. */
    readonly statement: string,
    private readonly args: readonly Arg[],
    /** Where to point when an argument is missing: the end of the statement. */
    private readonly endSpan: Span,
  ) {}

  static of(ctx: AnalyzeContext, directive: Directive): ArgReader {
    return new ArgReader(ctx, directive.name, directive.args, directive.span);
  }

  get done(): boolean {
    return this.index >= this.args.length;
  }

  peek(): Arg | undefined {
    return this.args[this.index];
  }

  /** The next argument's text if it is a bare word (keywords like `weight`, `backup`). */
  peekWord(): string | undefined {
    const arg = this.peek();
    return arg?.kind === "word" ? arg.text : undefined;
  }

  next(): Arg | undefined {
    const arg = this.args[this.index];
    if (arg) this.index++;
    return arg;
  }

  /** The span of the last argument read, or of the statement. */
  lastSpan(): Span {
    return this.args[this.index - 1]?.span ?? this.endSpan;
  }

  private missing(expected: string): undefined {
    const end = this.endSpan.end;
    this.ctx.diagnostics.push(diag("HAL2010", { file: this.endSpan.file, start: end, end }, { statement: q(this.statement), expected }));
    return undefined;
  }

  unexpected(arg: Arg, expected: string): undefined {
    this.ctx.diagnostics.push(diag("HAL2011", arg.span, { found: q(arg.text), statement: q(this.statement), expected }));
    return undefined;
  }

  /** A bare word, or a quoted string, or env(NAME) resolved now. */
  text(expected: string): { value: string; span: Span } | undefined {
    const arg = this.next();
    if (!arg) return this.missing(expected);
    switch (arg.kind) {
      case "word":
      case "integer":
      case "duration":
        return { value: arg.text, span: arg.span };
      case "string":
        return { value: arg.value, span: arg.span };
      case "env": {
        if (this.ctx.envValues === "unknown") return { value: arg.name, span: arg.span };
        const value = resolveEnv(this.ctx, arg.name, arg.span);
        return value === undefined ? undefined : { value, span: arg.span };
      }
    }
  }

  /**
   * Text for haproxy.cfg: like text(), but env(NAME) stays a reference that HAProxy expands itself
   * (contract §9). `resolved` is the value now, for checking it (null: not looked up, see envValues).
   */
  textRef(expected: string): { value: IrText; resolved: string | null; span: Span } | undefined {
    const arg = this.peek();
    const text = this.text(expected);
    if (!text) return undefined;
    if (arg?.kind !== "env") return { value: text.value, resolved: text.value, span: text.span };
    return { value: { env: arg.name }, resolved: this.ctx.envValues === "unknown" ? null : text.value, span: text.span };
  }

  /** A bare word only (names, keywords, addresses). */
  word(expected: string): { value: string; span: Span } | undefined {
    const arg = this.next();
    if (!arg) return this.missing(expected);
    if (arg.kind === "string" || arg.kind === "env") return this.unexpected(arg, expected);
    return { value: arg.text, span: arg.span };
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(choices: readonly T[], expected = choices.map((c) => `\`${c}\``).join(", ")): { value: T; span: Span } | undefined {
    const arg = this.next();
    if (!arg) return this.missing(expected);
    if (arg.kind !== "word" || !choices.includes(arg.text as T)) return this.unexpected(arg, expected);
    return { value: arg.text as T, span: arg.span };
  }

  integer(what: string, min: number, max: number): number | undefined {
    const arg = this.next();
    if (!arg) return this.missing(what);
    if (arg.kind !== "integer") return this.unexpected(arg, `${what} (a whole number)`);
    if (arg.value < min || arg.value > max) {
      this.ctx.diagnostics.push(diag("HAL2005", arg.span, { what: capitalise(what), range: rangeText(min, max), value: arg.text }));
      return undefined;
    }
    return arg.value;
  }

  /** A duration in ms. A bare number is refused: HAProxy reads it as ms, Keepalived as seconds. */
  duration(what: string, minMs = 1): number | undefined {
    const arg = this.next();
    if (!arg) return this.missing(`${what} (a duration such as \`2s\`)`);
    if (arg.kind === "integer") {
      this.ctx.diagnostics.push(diag("HAL2012", arg.span, { text: q(arg.text), example: `\`${arg.text}s\` or \`${arg.text}ms\`` }));
      return undefined;
    }
    if (arg.kind !== "duration") return this.unexpected(arg, `${what} (a duration such as \`2s\`)`);
    if (arg.ms < minMs || arg.ms > MAX_DURATION_MS) {
      this.ctx.diagnostics.push(diag("HAL2005", arg.span, { what: capitalise(what), range: `between ${minMs}ms and 24d`, value: arg.text }));
      return undefined;
    }
    return arg.ms;
  }

  /** A secret: env(NAME) stays a reference (its presence is checked now), a literal stays a literal. */
  secret(expected: string): { value: IrSecret; resolved: string | null; span: Span } | undefined {
    const arg = this.next();
    if (!arg) return this.missing(expected);
    if (arg.kind === "env") {
      if (this.ctx.envValues === "unknown") return { value: { env: arg.name }, resolved: null, span: arg.span };
      const resolved = resolveEnv(this.ctx, arg.name, arg.span);
      return resolved === undefined ? undefined : { value: { env: arg.name }, resolved, span: arg.span };
    }
    const literal = arg.kind === "string" ? arg.value : arg.text;
    return { value: { value: literal }, resolved: literal, span: arg.span };
  }

  /** Reports every argument left over. */
  end(expected = "nothing more"): void {
    for (let arg = this.next(); arg; arg = this.next()) this.unexpected(arg, expected);
  }
}

export function resolveEnv(ctx: AnalyzeContext, name: string, span: Span): string | undefined {
  const value = ctx.env[name];
  if (value === undefined) ctx.diagnostics.push(diag("HAL2007", span, { name: q(name) }));
  return value;
}

function rangeText(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return `at least ${min}`;
  return `between ${min} and ${max}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
