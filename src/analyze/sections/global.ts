/** `global { … }`: HAProxy's process-wide settings, and the target version. */
import type { Section } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import type { HaproxyVersion, IrText } from "../../ir/types.js";
import type { AnalyzeContext, ArgReader } from "../args.js";
import { dispatch } from "../dispatch.js";
import { readLog } from "../log.js";
import type { ModelGlobal } from "../model.js";
import { readRaw } from "./raw.js";

export const SUPPORTED_TARGETS: readonly HaproxyVersion[] = ["2.6", "2.8", "3.0", "3.2"];

export function emptyGlobal(): ModelGlobal {
  return { span: null, logs: [], daemon: false, raw: [] };
}

/** Finds `target haproxy X` before anything else, since the target decides which keywords exist. */
export function readTarget(ctx: AnalyzeContext, section: Section | undefined, fallback: HaproxyVersion): HaproxyVersion {
  const statement = section?.body.find((s) => s.kind === "Directive" && s.name === "target");
  if (!statement || statement.kind !== "Directive") return fallback;
  const [daemon, version] = statement.args;
  if (daemon?.text !== "haproxy" || !version) return fallback; // reported by the handler below
  const text = version.text;
  if (!SUPPORTED_TARGETS.includes(text as HaproxyVersion)) {
    ctx.diagnostics.push(diag("HAL2026", version.span, { version: q(text), known: SUPPORTED_TARGETS.join(", ") }));
    return fallback;
  }
  return text as HaproxyVersion;
}

export function analyzeGlobal(ctx: AnalyzeContext, section: Section, target: HaproxyVersion): ModelGlobal {
  const global = emptyGlobal();
  global.span = section.span;
  const path = (args: ArgReader, what: string): IrText | undefined => {
    const value = args.textRef(what);
    args.end();
    if (!value) return undefined;
    if (value.resolved !== null && !value.resolved.startsWith("/")) {
      ctx.diagnostics.push(diag("HAL2029", value.span, { what: "A path", value: q(value.resolved), expected: "an absolute path" }));
      return undefined;
    }
    return value.value;
  };
  const word = (args: ArgReader, what: string): IrText | undefined => {
    const value = args.textRef(what);
    args.end();
    return value?.value;
  };
  const integer = (args: ArgReader, what: string, max: number): number | undefined => {
    const value = args.integer(what, 1, max);
    args.end();
    return value;
  };
  dispatch(
    ctx,
    "`global`",
    section.body,
    {
      directives: {
        target: {
          once: true,
          handle: (args) => {
            args.oneOf(["haproxy"] as const, "`haproxy` and a version such as `2.6`");
            args.next();
            args.end(); // the version itself was read by readTarget
          },
        },
        maxconn: { once: true, handle: (args) => assign(global, "maxconn", integer(args, "maxconn", 10_000_000)) },
        log: { handle: (args) => push(global.logs, readLog(args, false)) },
        user: { once: true, handle: (args) => assign(global, "user", word(args, "a user name")) },
        group: { once: true, handle: (args) => assign(global, "group", word(args, "a group name")) },
        threads: { once: true, handle: (args) => assign(global, "nbthread", integer(args, "the number of threads", 4096)) },
        chroot: { once: true, handle: (args) => assign(global, "chroot", path(args, "a folder")) },
        pidfile: { once: true, handle: (args) => assign(global, "pidfile", path(args, "a file path")) },
        daemon: { once: true, handle: (args) => { args.end(); global.daemon = true; } },
        socket: {
          once: true,
          handle: (args) => {
            const socketPath = args.textRef("the path of the admin socket");
            if (!socketPath) return;
            let level: "user" | "operator" | "admin" = "admin";
            if (!args.done) {
              if (!args.oneOf(["level"] as const)) return;
              const chosen = args.oneOf(["user", "operator", "admin"] as const);
              if (!chosen) return;
              level = chosen.value;
            }
            args.end();
            if (socketPath.resolved !== null && !socketPath.resolved.startsWith("/")) {
              ctx.diagnostics.push(diag("HAL2029", socketPath.span, { what: "The socket path", value: q(socketPath.resolved), expected: "an absolute path" }));
              return;
            }
            global.statsSocket = { path: socketPath.value, level };
          },
        },
        raw: { handle: (args) => push(global.raw, readRaw(ctx, args, target)) },
      },
    },
    target,
  );
  return global;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function push<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}
