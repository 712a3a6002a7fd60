/**
 * Runs a block's statements through a table of handlers, one per keyword. Unknown keywords get
 * "did you mean"; statements that may appear once get HAL2016 the second time.
 */
import type { DefaultRoute, Directive, NodeDecl, Route, Statement } from "../ast/nodes.js";
import { diag, q } from "../diagnostics/create.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { ArgReader, type AnalyzeContext } from "./args.js";
import { removedKeyword } from "./removed.js";
import type { HaproxyVersion } from "../ir/types.js";

export interface Handler {
  readonly handle: (args: ArgReader, directive: Directive) => void;
  /** May appear at most once in a block. */
  readonly once?: boolean;
}

export interface BlockHandlers {
  readonly directives: Readonly<Record<string, Handler>>;
  readonly route?: (route: Route) => void;
  readonly defaultRoute?: (route: DefaultRoute) => void;
  readonly node?: (node: NodeDecl) => void;
}

/**
 * How often each statement was written in a block, valid or not: a statement that was written
 * but refused must not be reported again as missing.
 */
export function statementCounts(body: readonly Statement[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const statement of body) {
    const name = statement.kind === "Directive" ? statement.name : statement.kind === "NodeDecl" ? "node" : statement.kind === "Route" ? "route" : statement.kind === "DefaultRoute" ? "default" : "include";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

export function dispatch(
  ctx: AnalyzeContext,
  where: string,
  body: readonly Statement[],
  handlers: BlockHandlers,
  target: HaproxyVersion | null,
): void {
  const seen = new Set<string>();
  for (const statement of body) {
    switch (statement.kind) {
      case "Include":
        break; // reported by the loader (HAL1008)
      case "Route":
        if (handlers.route) handlers.route(statement);
        else ctx.diagnostics.push(diag("HAL2020", statement.span, { statement: "`route`", where }));
        break;
      case "DefaultRoute":
        if (handlers.defaultRoute) handlers.defaultRoute(statement);
        else ctx.diagnostics.push(diag("HAL2020", statement.span, { statement: "`default ->`", where }));
        break;
      case "NodeDecl":
        if (handlers.node) handlers.node(statement);
        else ctx.diagnostics.push(diag("HAL2020", statement.span, { statement: "`node`", where }));
        break;
      case "Directive": {
        const handler = handlers.directives[statement.name];
        if (!handler) {
          const removed = target ? removedKeyword(statement.name, target) : undefined;
          if (removed) ctx.diagnostics.push(diag("HAL2009", statement.nameSpan, removed));
          else
            ctx.diagnostics.push(
              diag("HAL2001", statement.nameSpan, {
                name: q(statement.name),
                where,
                suggestion: didYouMean(statement.name, Object.keys(handlers.directives)),
              }),
            );
          break;
        }
        if (handler.once) {
          if (seen.has(statement.name)) {
            ctx.diagnostics.push(diag("HAL2016", statement.nameSpan, { statement: q(statement.name) }));
            break;
          }
          seen.add(statement.name);
        }
        handler.handle(ArgReader.of(ctx, statement), statement);
        break;
      }
    }
  }
}
