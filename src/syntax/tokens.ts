/**
 * The vocabulary of .hal, shared by the lexer and the parser.
 * The grammar is deliberately permissive about arguments ("super grammar"): any value may stand
 * where a value may stand, and the analyzer narrows it with precise messages. Every statement
 * starts with a distinct token, so the grammar stays LL(1).
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * Characters that end a bare word: whitespace, block and statement punctuation, strings and
 * comments. Control characters are in no token at all, so they are reported where they stand
 * (HAL1001) instead of reaching a configuration file.
 */
const WORD = /[^\s{};"#\u0000-\u001f\u007f]+/;

/**
 * The characters a bare word may start with. Chevrotain cannot derive first characters from a
 * complement set, so they are listed: printable ASCII and Latin-1 (other text goes in quotes).
 */
const WORD_START_CHARS: string[] = [];
for (let code = 33; code < 256; code++) {
  const char = String.fromCharCode(code);
  if (code !== 127 && code !== 160 && !(code > 127 && code < 161) && !/[\s{};"#]/.test(char)) WORD_START_CHARS.push(char);
}

export const Newline = createToken({ name: "Newline", pattern: /\n/, label: "a newline" });
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });
export const LBrace = createToken({ name: "LBrace", pattern: /{/, label: "`{`" });
export const RBrace = createToken({ name: "RBrace", pattern: /}/, label: "`}`" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "`;`" });

/** Any argument value. */
export const Value = createToken({ name: "Value", pattern: Lexer.NA, label: "a value" });
/** Any bare word, keywords included (a server may be named `backup`). */
export const AnyWord = createToken({ name: "AnyWord", pattern: Lexer.NA, categories: [Value], label: "a word" });

/** A bare word that is not a keyword: the head of an ordinary statement, or an argument. */
export const Identifier = createToken({
  name: "Identifier",
  pattern: WORD,
  start_chars_hint: WORD_START_CHARS,
  categories: [AnyWord, Value],
  label: "a word",
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, longer_alt: Identifier, label: "`->`" });
export const QuotedString = createToken({
  name: "QuotedString",
  pattern: /"(?:[^"\\\u0000-\u001f\u007f]|\\[^\u0000-\u001f\u007f])*"/,
  categories: [Value],
  label: "a string",
});
/** A string that runs into the end of the line: lexed so the parser can go on, reported as HAL1002. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\u0000-\u001f\u007f]|\\[^\u0000-\u001f\u007f])*/,
  categories: [Value],
  label: "a string",
});
export const EnvRef = createToken({
  name: "EnvRef",
  pattern: /env\([A-Za-z_][A-Za-z0-9_]*\)/,
  longer_alt: Identifier,
  categories: [Value],
  label: "env(NAME)",
});
export const Duration = createToken({
  name: "Duration",
  pattern: /\d+(?:ms|s|m|h|d)/,
  longer_alt: Identifier,
  categories: [Value],
  label: "a duration",
});
export const Integer = createToken({ name: "Integer", pattern: /-?\d+/, longer_alt: Identifier, categories: [Value], label: "a number" });

/** Block keywords that open a top-level section. */
export const SectionKeyword = createToken({ name: "SectionKeyword", pattern: Lexer.NA, label: "a section keyword" });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [AnyWord, Value, ...categories],
    label: `\`${word}\``,
  });
}

export const Cluster = keyword("cluster", [SectionKeyword]);
export const Global = keyword("global", [SectionKeyword]);
export const Defaults = keyword("defaults", [SectionKeyword]);
export const Stats = keyword("stats", [SectionKeyword]);
export const Frontend = keyword("frontend", [SectionKeyword]);
export const Backend = keyword("backend", [SectionKeyword]);
export const Listen = keyword("listen", [SectionKeyword]);
export const Include = keyword("include");
export const Node = keyword("node");
export const Route = keyword("route");
export const Default = keyword("default");

export const sectionKeywords = [Cluster, Global, Defaults, Stats, Frontend, Backend, Listen] as const;

/**
 * Lexing order matters: keywords and the specific value tokens come before Identifier (each has
 * `longer_alt: Identifier`, so `defaults2` or `2sx` stay words); `defaults` before `default`.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  Comment,
  LBrace,
  RBrace,
  Semicolon,
  Arrow,
  QuotedString,
  UnterminatedString,
  EnvRef,
  Duration,
  Integer,
  Cluster,
  Global,
  Defaults,
  Stats,
  Frontend,
  Backend,
  Listen,
  Include,
  Node,
  Route,
  Default,
  Identifier,
  Value,
  AnyWord,
  SectionKeyword,
];
