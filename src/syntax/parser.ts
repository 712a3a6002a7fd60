/**
 * The .hal grammar: only structure, no semantics (those live in src/ast and src/analyze).
 *
 *   file        = { Newline | ";" | include | section } EOF
 *   include     = "include" value end
 *   section     = ( SectionKeyword | Identifier ) [ value ] { Newline } block
 *                 (an Identifier only when a block follows: a misspelled keyword, named by the analyzer)
 *   block       = "{" { Newline | ";" | statement } "}"
 *   statement   = route | defaultRoute | node | include | directive
 *   route       = "route" value { value } "->" value end
 *   defaultRoute= "default" "->" value end
 *   node        = "node" { value } [ block ] end
 *   directive   = Identifier { value } end
 *   end         = Newline | ";" | (before "}" or the end of the file)
 */
import { CstParser, EOF, tokenMatcher, type CstNode, type IToken } from "chevrotain";
import { halErrorMessages } from "./error-messages.js";
import * as t from "./tokens.js";

export class HalParser extends CstParser {
  constructor() {
    super(t.allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: halErrorMessages });
    this.performSelfAnalysis();
  }

  public file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Semicolon) },
        { ALT: () => this.SUBRULE(this.include) },
        // A misspelled block keyword (`frontned www {`) is still a block, so the analyzer can name it once.
        { GATE: () => this.LA(1).tokenType !== t.Identifier || this.blockFollows(), ALT: () => this.SUBRULE(this.section) },
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

  public include = this.RULE("include", () => {
    this.CONSUME(t.Include);
    this.CONSUME(t.Value, { LABEL: "path" });
    this.SUBRULE(this.end);
  });

  public section = this.RULE("section", () => {
    this.OR([{ ALT: () => this.CONSUME(t.SectionKeyword, { LABEL: "keyword" }) }, { ALT: () => this.CONSUME(t.Identifier, { LABEL: "keyword" }) }]);
    this.OPTION(() => this.CONSUME(t.Value, { LABEL: "name" }));
    this.MANY(() => this.CONSUME(t.Newline));
    this.SUBRULE(this.block);
  });

  public block = this.RULE("block", () => {
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Newline) }, { ALT: () => this.CONSUME(t.Semicolon) }, { ALT: () => this.SUBRULE(this.statement) }]);
    });
    this.CONSUME(t.RBrace);
  });

  public statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.route) },
      { ALT: () => this.SUBRULE(this.defaultRoute) },
      { ALT: () => this.SUBRULE(this.node) },
      { ALT: () => this.SUBRULE(this.include) },
      { ALT: () => this.SUBRULE(this.directive) },
    ]);
  });

  public route = this.RULE("route", () => {
    this.CONSUME(t.Route);
    this.AT_LEAST_ONE(() => this.CONSUME(t.Value, { LABEL: "condition" }));
    this.CONSUME(t.Arrow);
    this.CONSUME2(t.Value, { LABEL: "target" });
    this.SUBRULE(this.end);
  });

  public defaultRoute = this.RULE("defaultRoute", () => {
    this.CONSUME(t.Default);
    this.CONSUME(t.Arrow);
    this.CONSUME(t.Value, { LABEL: "target" });
    this.SUBRULE(this.end);
  });

  public node = this.RULE("node", () => {
    this.CONSUME(t.Node);
    this.MANY(() => this.CONSUME(t.Value, { LABEL: "arg" }));
    this.OPTION(() => this.SUBRULE(this.block));
    this.SUBRULE(this.end);
  });

  public directive = this.RULE("directive", () => {
    this.CONSUME(t.Identifier, { LABEL: "name" });
    this.MANY(() => this.CONSUME(t.Value, { LABEL: "arg" }));
    this.SUBRULE(this.end);
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

export interface ParseTree {
  readonly cst: CstNode;
  readonly errors: readonly ParseError[];
}

export interface ParseError {
  readonly message: string;
  readonly token: IToken;
  readonly previousToken: IToken | undefined;
  /** The rule the parser was in, innermost last. */
  readonly ruleStack: readonly string[];
  readonly kind: "mismatch" | "no-alternative" | "early-exit" | "not-all-input";
}
