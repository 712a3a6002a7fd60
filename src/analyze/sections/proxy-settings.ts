/**
 * Statements shared by `defaults`, `frontend`, `backend` and `listen`: mode, maxconn, retries,
 * timeouts, logs, options and raw lines, each allowed only where HAProxy gives it meaning.
 */
import type { Directive } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { TIMEOUT_KINDS, type HaproxyVersion, type TimeoutKind } from "../../ir/types.js";
import type { AnalyzeContext, ArgReader } from "../args.js";
import type { Handler } from "../dispatch.js";
import { readLog } from "../log.js";
import type { ModelProxySettings } from "../model.js";
import { knownOptions, optionInfo, optionsWithStatements, type SectionCapability } from "../options.js";
import { readRaw } from "./raw.js";


/** Which sections each timeout means something in (HAProxy ignores the rest with a warning). */
export const timeoutSections: Readonly<Record<TimeoutKind, readonly SectionCapability[]>> = {
  connect: ["defaults", "listen", "backend"],
  server: ["defaults", "listen", "backend"],
  check: ["defaults", "listen", "backend"],
  queue: ["defaults", "listen", "backend"],
  tunnel: ["defaults", "listen", "backend"],
  client: ["defaults", "frontend", "listen"],
  "http-request": ["defaults", "frontend", "listen", "backend"],
  "http-keep-alive": ["defaults", "frontend", "listen", "backend"],
};

export function emptySettings(): ModelProxySettings {
  return { mode: null, timeouts: {}, logs: [], options: [], raw: [] };
}

export function proxySettingsHandlers(
  ctx: AnalyzeContext,
  settings: ModelProxySettings,
  section: SectionCapability,
  target: HaproxyVersion,
): Record<string, Handler> {
  const addOption = (name: string, span: Directive["span"]): void => {
    const info = optionInfo(name);
    if (!info) {
      const instead = Object.hasOwn(optionsWithStatements, name) ? ` ${optionsWithStatements[name]!}` : didYouMean(name, Object.keys(knownOptions));
      ctx.diagnostics.push(diag("HAL2024", span, { name: q(name), suggestion: instead }));
      return;
    }
    if (!info.sections.includes(section)) {
      ctx.diagnostics.push(diag("HAL2025", span, { statement: q(`option ${name}`), section }));
      return;
    }
    if (!settings.options.some((option) => option.value === name)) settings.options.push({ value: name, span });
  };

  const handlers: Record<string, Handler> = {
    mode: {
      once: true,
      handle: (args) => {
        const mode = args.oneOf(["http", "tcp"] as const);
        args.end();
        if (mode) settings.mode = mode;
      },
    },
    retries: {
      once: true,
      handle: (args) => {
        const value = args.integer("retries", 0, 100);
        args.end();
        if (value !== undefined) settings.retries = value;
      },
    },
    timeout: {
      handle: (args) => {
        if (args.done) return void args.oneOf(TIMEOUT_KINDS);
        while (!args.done) {
          const kind = args.oneOf(TIMEOUT_KINDS);
          if (!kind) return;
          const ms = args.duration(`timeout ${kind.value}`);
          if (ms === undefined) return;
          if (!timeoutSections[kind.value].includes(section)) {
            ctx.diagnostics.push(diag("HAL2025", kind.span, { statement: q(`timeout ${kind.value}`), section }));
            continue;
          }
          settings.timeouts[kind.value] = { value: ms, span: kind.span };
        }
      },
    },
    log: { handle: (args) => pushDefined(settings.logs, readLog(args, true)) },
    option: {
      handle: (args) => {
        if (args.done) return void args.word("an option name such as `httplog`");
        for (let arg = args.next(); arg; arg = args.next()) {
          if (arg.kind !== "word") args.unexpected(arg, "an option name");
          else addOption(arg.text, arg.span);
        }
      },
    },
    // `redispatch` alone was removed from HAProxy in 2.1; in .hal it is shorthand for the option.
    redispatch: {
      once: true,
      handle: (args, directive) => {
        args.end();
        addOption("redispatch", directive.nameSpan);
      },
    },
    raw: { handle: (args) => pushDefined(settings.raw, readRaw(ctx, args, target)) },
  };
  handlers["maxconn"] = {
    once: true,
    handle: (args: ArgReader, directive) => {
      const value = args.integer("maxconn", 1, 10_000_000);
      args.end();
      if (value === undefined) return;
      // A backend has no connection limit of its own (per-server `maxconn` is the one that queues).
      if (section === "backend") ctx.diagnostics.push(diag("HAL2025", directive.nameSpan, { statement: "`maxconn`", section }));
      else settings.maxconn = value;
    },
  };
  if (section === "frontend") {
    // Connecting to servers is a backend's business: these mean nothing in a frontend.
    for (const name of ["retries", "redispatch"]) {
      handlers[name] = {
        once: true,
        handle: (args: ArgReader, directive) => {
          while (!args.done) args.next();
          ctx.diagnostics.push(diag("HAL2025", directive.nameSpan, { statement: q(name), section }));
        },
      };
    }
  }
  return handlers;
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}
