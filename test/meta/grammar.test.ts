/**
 * The committed grammar artefacts (grammar/serialized.json, grammar/diagrams.html) must match the
 * parser in src/, so that a grammar change always shows up in review as a diff of those files; and
 * every token the lexer knows must mean something to the parser.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { Lexer, type ISerializedGast, type TokenType } from "chevrotain";
import { describe, expect, it } from "vitest";
import { halParser } from "../../src/syntax/parse.js";
import { HalParser } from "../../src/syntax/parser.js";
import { allTokens } from "../../src/syntax/tokens.js";

const REGENERATE = "run npm run build && npm run gen";
const grammarDir = new URL("../../grammar/", import.meta.url);

const productions: ISerializedGast[] = halParser().getSerializedGastProductions();

function readGrammarFile(name: string): string {
  const url = new URL(name, grammarDir);
  if (!existsSync(url)) expect.fail(`grammar/${name} is missing: ${REGENERATE}`);
  return readFileSync(url, "utf8");
}

/** The rule names and the terminal (token) names the productions mention, walking the whole tree. */
function walk(nodes: readonly ISerializedGast[]): { rules: string[]; terminals: Set<string> } {
  const rules: string[] = [];
  const terminals = new Set<string>();
  const visit = (node: ISerializedGast): void => {
    const named = node as ISerializedGast & { name?: string };
    if (node.type === "Rule" && named.name) rules.push(named.name);
    if (node.type === "Terminal" && named.name) terminals.add(named.name);
    for (const child of node.definition ?? []) visit(child);
  };
  nodes.forEach(visit);
  return { rules, terminals };
}

/** The token and every category it belongs to, transitively. */
function withCategories(token: TokenType): TokenType[] {
  const out: TokenType[] = [];
  const add = (t: TokenType): void => {
    if (out.includes(t)) return;
    out.push(t);
    for (const category of t.CATEGORIES ?? []) add(category);
  };
  add(token);
  return out;
}

describe("the grammar", () => {
  it("passes chevrotain's own checks (halb skips them when it builds its parser)", () => {
    expect(() => new HalParser({ validate: true })).not.toThrow();
  });
});

describe("grammar/serialized.json", () => {
  it("matches the parser's productions", () => {
    const expected = `${JSON.stringify(productions, null, 2)}\n`;
    expect(readGrammarFile("serialized.json"), REGENERATE).toBe(expected);
  });
});

describe("grammar/diagrams.html", () => {
  const html = (): string => readGrammarFile("diagrams.html");

  it("embeds the same serialized grammar", () => {
    const embedded = /window\.serializedGrammar = ([\s\S]*?);\n<\/script>/.exec(html());
    expect(embedded, `no serialized grammar found in diagrams.html: ${REGENERATE}`).not.toBeNull();
    expect(JSON.parse(embedded![1]!), REGENERATE).toEqual(productions);
  });

  it("loads its renderer from the installed chevrotain package, not from the network", () => {
    const references = [...html().matchAll(/(?:src|href)='([^']*)'/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      expect(reference, "diagrams.html must not load anything from the network").not.toMatch(/^[a-z]+:/i);
      const file = new URL(reference, new URL("diagrams.html", grammarDir));
      expect(existsSync(file), `${reference} (from grammar/diagrams.html) does not exist: ${fileURLToPath(file)}`).toBe(true);
    }
  });

  it("renders a diagram for every rule with the scripts it loads", () => {
    const page = html();
    const scripts = [...page.matchAll(/<script src='([^']*)'><\/script>/g)].map((match) => match[1]!);
    const sandbox: Record<string, unknown> = {};
    sandbox["window"] = sandbox;
    const context = createContext(sandbox);
    for (const script of scripts) {
      const file = new URL(script, new URL("diagrams.html", grammarDir));
      runInContext(readFileSync(file, "utf8"), context, { filename: fileURLToPath(file) });
    }
    const builder = sandbox["diagrams_builder"] as { buildSyntaxDiagramsText: (grammar: unknown) => string };
    const text = builder.buildSyntaxDiagramsText(productions);
    for (const rule of walk(productions).rules) expect(text).toContain(`<h2 class="diagramHeader">${rule}</h2>`);
  });
});

describe("tokens", () => {
  const { terminals } = walk(productions);
  const byName = new Map(allTokens.map((token) => [token.name, token]));

  /** Why a token the parser never consumes (directly or through a category) may still be in allTokens. */
  function exemption(token: TokenType): string | undefined {
    if (token.GROUP === Lexer.SKIPPED) return "skipped by the lexer";
    if (token.GROUP === "comments") return "a comment, kept for tools";
    const isCategory = token.PATTERN === Lexer.NA && allTokens.some((other) => other !== token && (other.CATEGORIES ?? []).includes(token));
    if (isCategory) return "a category of other tokens";
    return undefined;
  }

  it("every token in allTokens is used by the parser or is a deliberate skipped/comment/category token", () => {
    const unused = allTokens
      .filter((token) => !withCategories(token).some((t) => terminals.has(t.name)))
      .filter((token) => exemption(token) === undefined)
      .map((token) => token.name);
    expect(unused, "tokens the lexer produces but no parser rule consumes").toEqual([]);
  });

  it("every token the parser consumes is produced by the lexer (itself or through a token of its category)", () => {
    for (const name of terminals) {
      const token = byName.get(name);
      expect(token, `the parser consumes ${name}, which is not in allTokens`).toBeDefined();
      const producers = allTokens.filter((t) => t.PATTERN !== Lexer.NA && t.GROUP === undefined && withCategories(t).includes(token!));
      expect(producers.length, `no lexer pattern produces ${name}`).toBeGreaterThan(0);
    }
  });

  it("skipped and comment tokens never reach the parser", () => {
    for (const token of allTokens) {
      if (token.GROUP !== undefined) expect(terminals.has(token.name), `${token.name} is in group ${token.GROUP}`).toBe(false);
    }
  });
});
