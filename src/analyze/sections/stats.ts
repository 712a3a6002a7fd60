/** `stats { … }`: the statistics page, as a `listen` section of its own. */
import type { Section } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import type { HaproxyVersion } from "../../ir/types.js";
import type { AnalyzeContext } from "../args.js";
import { dispatch, statementCounts } from "../dispatch.js";
import { readLog } from "../log.js";
import type { ModelStats } from "../model.js";
import { readBinds } from "./binds.js";
import { readRaw } from "./raw.js";

export function analyzeStats(ctx: AnalyzeContext, section: Section, target: HaproxyVersion): ModelStats {
  const stats: ModelStats = { span: section.span, written: statementCounts(section.body), binds: [], uri: null, realm: null, auth: [], refreshMs: null, hideVersion: false, admin: false, logs: [], raw: [] };
  dispatch(
    ctx,
    "`stats`",
    section.body,
    {
      directives: {
        bind: { handle: (args) => readBinds(ctx, args, stats.binds) },
        uri: {
          once: true,
          handle: (args) => {
            const uri = args.textRef("the page's path, such as `/haproxy-status`");
            args.end();
            if (!uri) return;
            if (uri.resolved !== null && !/^\/\S*$/.test(uri.resolved)) return void ctx.diagnostics.push(diag("HAL2029", uri.span, { what: "The stats uri", value: q(uri.resolved), expected: "a path starting with `/`, without spaces" }));
            stats.uri = uri.value;
          },
        },
        realm: {
          once: true,
          handle: (args) => {
            const realm = args.textRef("the realm shown by the browser, in quotes");
            args.end();
            if (!realm) return;
            if (realm.resolved !== null && /["\\\n]/.test(realm.resolved)) return void ctx.diagnostics.push(diag("HAL2029", realm.span, { what: "The realm", value: q(realm.resolved), expected: "text without quotes or backslashes" }));
            stats.realm = realm.value;
          },
        },
        auth: {
          handle: (args, directive) => {
            const user = args.textRef("a user name");
            if (!user) return;
            const password = args.secret("the password, e.g. `env(STATS_PASS)`");
            args.end();
            if (!password) return;
            if (user.resolved !== null && !/^[^:\s"\\]+$/.test(user.resolved)) return void ctx.diagnostics.push(diag("HAL2029", user.span, { what: "A stats user", value: q(user.resolved), expected: "a name without `:`, spaces or quotes" }));
            if (password.resolved !== null && (password.resolved === "" || /[\n"\\]/.test(password.resolved))) {
              // Never echo the value: it is a password.
              ctx.diagnostics.push(diag("HAL2029", password.span, { what: "The stats password", value: "empty or contain quotes, backslashes or newlines", expected: "a non-empty password on one line" }));
              return;
            }
            stats.auth.push({ user: user.value, password: password.value, span: directive.span });
          },
        },
        refresh: {
          once: true,
          handle: (args) => {
            const ms = args.duration("the refresh interval", 1000);
            args.end();
            if (ms !== undefined) stats.refreshMs = ms;
          },
        },
        "hide-version": { once: true, handle: (args) => { args.end(); stats.hideVersion = true; } },
        admin: { once: true, handle: (args) => { args.end(); stats.admin = true; } },
        log: {
          handle: (args) => {
            const log = readLog(args, true);
            if (log) stats.logs.push(log);
          },
        },
        raw: {
          handle: (args) => {
            const raw = readRaw(ctx, args, target);
            if (raw) stats.raw.push(raw);
          },
        },
      },
    },
    target,
  );
  return stats;
}
