/** `frontend NAME { … }`: binds, routes (`route host H path P -> backend`) and `default -> backend`. */
import type { Arg, Section } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import type { HaproxyVersion } from "../../ir/types.js";
import type { AnalyzeContext } from "../args.js";
import { dispatch, statementCounts } from "../dispatch.js";
import type { Located, ModelFrontend, ModelRoute } from "../model.js";
import { checkName } from "../names.js";
import { readBinds } from "./binds.js";
import { emptySettings, proxySettingsHandlers } from "./proxy-settings.js";

export function analyzeFrontend(ctx: AnalyzeContext, section: Section, target: HaproxyVersion): ModelFrontend {
  const frontend: ModelFrontend = {
    kind: "frontend",
    name: checkName(ctx, section.name, "frontend", section.keywordSpan),
    span: section.span,
    written: statementCounts(section.body),
    ...emptySettings(),
    binds: [],
    routes: [],
    defaultBackend: null,
  };
  dispatch(
    ctx,
    `frontend ${q(frontend.name.value)}`,
    section.body,
    {
      directives: {
        ...proxySettingsHandlers(ctx, frontend, "frontend", target),
        bind: { handle: (args) => readBinds(ctx, args, frontend.binds) },
      },
      route: (route) => {
        const conditions = readConditions(ctx, route.conditions);
        const backend = targetName(ctx, route.target);
        if (conditions && backend) frontend.routes.push({ conditions, backend, span: route.span });
      },
      defaultRoute: (route) => {
        if (frontend.defaultBackend) return void ctx.diagnostics.push(diag("HAL2016", route.span, { statement: "`default ->`" }));
        frontend.defaultBackend = targetName(ctx, route.target);
      },
    },
    target,
  );
  return frontend;
}

/** `host H`, `path P`, in pairs; every condition of a route must hold. */
function readConditions(ctx: AnalyzeContext, args: readonly Arg[]): ModelRoute["conditions"] | null {
  const conditions: ModelRoute["conditions"][number][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const kind = args[i]!;
    const value = args[i + 1];
    if (kind.kind !== "word" || (kind.text !== "host" && kind.text !== "path")) {
      ctx.diagnostics.push(diag("HAL2011", kind.span, { found: q(kind.text), statement: "`route`", expected: "`host` or `path`" }));
      return null;
    }
    if (!value) {
      ctx.diagnostics.push(diag("HAL2010", kind.span, { statement: "`route`", expected: kind.text === "host" ? "a host name after `host`" : "a path after `path`" }));
      return null;
    }
    const text = value.kind === "string" ? value.value : value.text;
    if (value.kind === "env") {
      ctx.diagnostics.push(diag("HAL2011", value.span, { found: q(value.text), statement: "`route`", expected: "a literal host or path" }));
      return null;
    }
    if (kind.text === "host" && !/^\.?[A-Za-z0-9_*-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(text)) {
      ctx.diagnostics.push(diag("HAL2029", value.span, { what: "A route host", value: q(text), expected: "a host name such as `www.example.com`" }));
      return null;
    }
    if (kind.text === "path" && !/^\/\S*$/.test(text)) {
      ctx.diagnostics.push(diag("HAL2029", value.span, { what: "A route path", value: q(text), expected: "a path starting with `/`, without spaces" }));
      return null;
    }
    conditions.push({ kind: kind.text, value: kind.text === "host" ? text.toLowerCase() : text, span: value.span });
  }
  return conditions;
}

function targetName(ctx: AnalyzeContext, arg: Arg): Located<string> | null {
  if (arg.text === "") return null; // a syntax error was already reported
  return checkName(ctx, arg, "route target", arg.span);
}
