/**
 * The .hal grammar: only structure, no semantics (those live in src/analyze). Its actions build
 * the AST directly through an AstBuilder (src/ast/build.ts); no concrete syntax tree is made.
 *
 *   file        = { Newline | ";" | include | section } EOF
 *   include     = "include" value end
 *   section     = ( SectionKeyword | Identifier ) [ value ] { Newline } block
 *                 (an Identifier only when a block follows: a misspelled keyword, named by the analyzer)
 *   block       = "{" { Newline | ";" | route | defaultRoute | node | include | directive } "}"
 *   route       = "route" value { value } "->" value end
 *   defaultRoute= "default" "->" value end
 *   node        = "node" { value } [ block ] end
 *   directive   = Identifier { value } end
 *   end         = Newline | ";" | (before "}" or the end of the file)
 *
 * Every rule receives the list its node belongs in and puts the node there when it starts, so
 * what error recovery leaves of a statement is kept. Actions run inside ACTION(): chevrotain
 * records the grammar by running the rules once with placeholder tokens, and skips ACTION then.
 */
import { EmbeddedActionsParser, EOF, tokenMatcher, type IRecognitionException, type IToken } from "chevrotain";
import type { AstBuilder } from "../ast/build.js";
import type { HalFile, Include, Section, Statement } from "../ast/nodes.js";
import { halErrorMessages } from "./error-messages.js";
import * as t from "./tokens.js";

type Items = (Section | Include)[];

export class HalParser extends EmbeddedActionsParser {
  private builder!: AstBuilder;

  /**
   * `validate` runs chevrotain's grammar checks (ambiguities, left recursion), which cost more
   * than the rest of building the parser: the grammar test builds one with them, halb skips them.
   */
  constructor({ validate = false }: { validate?: boolean } = {}) {
    super(t.allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: halErrorMessages, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** Parses a whole file's tokens into `builder`, with what went wrong. */
  parse(tokens: IToken[], builder: AstBuilder): { ast: HalFile; errors: IRecognitionException[] } {
    this.builder = builder;
    this.input = tokens;
    this.file();
    const errors = this.errors;
    this.input = []; // the tokens are garbage once the AST exists (this also clears `errors`)
    return { ast: builder.file(), errors };
  }

  public file = this.RULE("file", () => {
    const items = this.ACTION(() => this.builder.items);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Semicolon) },
        { ALT: () => this.SUBRULE(this.include, { ARGS: [items] }) },
        // A misspelled block keyword (`frontned www {`) is still a block, so the analyzer can name it once.
        { GATE: () => this.LA(1).tokenType !== t.Identifier || this.blockFollows(), ALT: () => this.SUBRULE(this.section, { ARGS: [items] }) },
      ]);
    });
  });

  /** After a word: an optional name, newlines, then `{`. */
  private blockFollows(): boolean {
    let i = 2;
    if (tokenMatcher(this.LA(i), t.Value)) i++;
    while (this.LA(i).tokenType === t.Newline) i++;
    return this.LA(i).tokenType === t.LBrace;
  }

  public include = this.RULE("include", (into: { push(item: Include): unknown }) => {
    const keyword = this.CONSUME(t.Include);
    const include = this.ACTION(() => this.builder.openInclude(keyword));
    this.ACTION(() => into.push(include));
    const path = this.CONSUME(t.Value, { LABEL: "path" });
    this.ACTION(() => (include.path = this.builder.arg(path, keyword)));
    this.SUBRULE(this.end);
    this.ACTION(() => this.builder.close(include, keyword, this.LA(0)));
  });

  public section = this.RULE("section", (into: Items) => {
    const keyword = this.OR([{ ALT: () => this.CONSUME(t.SectionKeyword, { LABEL: "keyword" }) }, { ALT: () => this.CONSUME(t.Identifier, { LABEL: "keyword" }) }]);
    const name = this.OPTION(() => this.CONSUME(t.Value, { LABEL: "name" }));
    const section = this.ACTION(() => this.builder.openSection(keyword, name));
    this.ACTION(() => into.push(section));
    this.MANY(() => this.CONSUME(t.Newline));
    this.SUBRULE(this.block, { ARGS: [section?.body] });
    this.ACTION(() => this.builder.close(section, keyword, this.LA(0)));
  });

  public block = this.RULE("block", (into: Statement[]) => {
    this.CONSUME(t.LBrace);
    // The statements are alternatives here rather than a rule of their own: one rule call less
    // per line of a large spec.
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Semicolon) },
        { ALT: () => this.SUBRULE(this.route, { ARGS: [into] }) },
        { ALT: () => this.SUBRULE(this.defaultRoute, { ARGS: [into] }) },
        { ALT: () => this.SUBRULE(this.node, { ARGS: [into] }) },
        { ALT: () => this.SUBRULE(this.include, { ARGS: [into] }) },
        { ALT: () => this.SUBRULE(this.directive, { ARGS: [into] }) },
      ]);
    });
    this.CONSUME(t.RBrace);
  });

  public route = this.RULE("route", (into: Statement[]) => {
    const keyword = this.CONSUME(t.Route);
    const route = this.ACTION(() => this.builder.openRoute(keyword));
    this.ACTION(() => into.push(route));
    this.AT_LEAST_ONE(() => {
      const condition = this.CONSUME(t.Value, { LABEL: "condition" });
      this.ACTION(() => route.conditions.push(this.builder.arg(condition)));
    });
    const arrow = this.CONSUME(t.Arrow);
    const target = this.CONSUME2(t.Value, { LABEL: "target" });
    this.ACTION(() => (route.target = this.builder.arg(target, arrow.isInsertedInRecovery ? keyword : arrow)));
    this.SUBRULE(this.end);
    this.ACTION(() => this.builder.close(route, keyword, this.LA(0)));
  });

  public defaultRoute = this.RULE("defaultRoute", (into: Statement[]) => {
    const keyword = this.CONSUME(t.Default);
    const route = this.ACTION(() => this.builder.openDefaultRoute(keyword));
    this.ACTION(() => into.push(route));
    const arrow = this.CONSUME(t.Arrow);
    const target = this.CONSUME(t.Value, { LABEL: "target" });
    this.ACTION(() => (route.target = this.builder.arg(target, arrow.isInsertedInRecovery ? keyword : arrow)));
    this.SUBRULE(this.end);
    this.ACTION(() => this.builder.close(route, keyword, this.LA(0)));
  });

  public node = this.RULE("node", (into: Statement[]) => {
    const keyword = this.CONSUME(t.Node);
    const node = this.ACTION(() => this.builder.openNode(keyword));
    this.ACTION(() => into.push(node));
    this.MANY(() => {
      const arg = this.CONSUME(t.Value, { LABEL: "arg" });
      this.ACTION(() => node.args.push(this.builder.arg(arg)));
    });
    this.OPTION(() => {
      const body: Statement[] = [];
      this.ACTION(() => (node.body = body));
      this.SUBRULE(this.block, { ARGS: [body] });
    });
    this.SUBRULE(this.end);
    this.ACTION(() => this.builder.close(node, keyword, this.LA(0)));
  });

  public directive = this.RULE("directive", (into: Statement[]) => {
    const name = this.CONSUME(t.Identifier, { LABEL: "name" });
    const directive = this.ACTION(() => this.builder.openDirective(name));
    this.ACTION(() => into.push(directive));
    this.MANY(() => {
      const arg = this.CONSUME(t.Value, { LABEL: "arg" });
      this.ACTION(() => directive.args.push(this.builder.arg(arg)));
    });
    this.SUBRULE(this.end);
    this.ACTION(() => this.builder.close(directive, name, this.LA(0)));
  });

  public end = this.RULE("end", () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Newline) },
      { ALT: () => this.CONSUME(t.Semicolon) },
      // A statement may close right before its block's `}` or at the end of the file.
      { GATE: () => this.LA(1).tokenType === t.RBrace || this.LA(1).tokenType === EOF, ALT: () => undefined },
    ]);
  });
}
