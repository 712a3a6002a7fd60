/** Names of clusters, nodes, proxies and servers: `[A-Za-z_][A-Za-z0-9_.-]*`. */
import type { Arg } from "../ast/nodes.js";
import { diag, q } from "../diagnostics/create.js";
import type { Span } from "../diagnostics/span.js";
import type { AnalyzeContext } from "./args.js";
import type { Located } from "./model.js";

export const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The name an argument gives, reported when missing or malformed. Analysis goes on with the text
 * as written (or the block keyword) so one bad name does not hide other problems.
 */
export function checkName(ctx: AnalyzeContext, arg: Arg | null, what: string, fallbackSpan: Span): Located<string> {
  if (!arg || arg.text === "") {
    ctx.diagnostics.push(diag("HAL2010", fallbackSpan, { statement: q(what), expected: "a name" }));
    return { value: what, span: fallbackSpan };
  }
  const text = arg.kind === "string" ? arg.value : arg.text;
  if (arg.kind !== "word" || !NAME.test(text)) ctx.diagnostics.push(diag("HAL2028", arg.span, { text: q(arg.text) }));
  return { value: text, span: arg.span };
}
