/** `backend NAME { … }` and `listen NAME { … }`: balance, cookie, health checks and servers. */
import type { Section } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import type { Balance, HaproxyVersion, IrCookie, IrHealth, IrText } from "../../ir/types.js";
import { parseHostPort } from "../addresses.js";
import type { AnalyzeContext, ArgReader } from "../args.js";
import { dispatch, statementCounts, type Handler } from "../dispatch.js";
import type { ModelBackend, ModelListen, ModelPool, ModelServer } from "../model.js";
import { checkName, NAME } from "../names.js";
import { readBinds } from "./binds.js";
import { emptySettings, proxySettingsHandlers } from "./proxy-settings.js";

const balances: readonly Balance[] = ["roundrobin", "static-rr", "leastconn", "source", "uri", "first", "random"];
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HTTP_METHOD = /^[A-Z]+$/;

// HAProxy's own defaults for `check` without inter/rise/fall.
const DEFAULT_CHECK = { intervalMs: 2000, rise: 2, fall: 3 };

export function analyzeBackend(ctx: AnalyzeContext, section: Section, target: HaproxyVersion): ModelBackend {
  const backend: ModelBackend = {
    kind: "backend",
    name: checkName(ctx, section.name, "backend", section.keywordSpan),
    span: section.span,
    written: statementCounts(section.body),
    ...emptySettings(),
    ...emptyPool(),
  };
  dispatch(
    ctx,
    `backend ${q(backend.name.value)}`,
    section.body,
    { directives: { ...proxySettingsHandlers(ctx, backend, "backend", target), ...poolHandlers(ctx, backend) } },
    target,
  );
  return backend;
}

export function analyzeListen(ctx: AnalyzeContext, section: Section, target: HaproxyVersion): ModelListen {
  const listen: ModelListen = {
    kind: "listen",
    name: checkName(ctx, section.name, "listen", section.keywordSpan),
    span: section.span,
    written: statementCounts(section.body),
    ...emptySettings(),
    ...emptyPool(),
    binds: [],
  };
  dispatch(
    ctx,
    `listen ${q(listen.name.value)}`,
    section.body,
    {
      directives: {
        ...proxySettingsHandlers(ctx, listen, "listen", target),
        ...poolHandlers(ctx, listen),
        bind: { handle: (args) => readBinds(ctx, args, listen.binds) },
      },
    },
    target,
  );
  return listen;
}

function emptyPool(): ModelPool {
  return { balance: null, cookie: null, health: null, servers: [] };
}

function poolHandlers(ctx: AnalyzeContext, pool: ModelPool): Record<string, Handler> {
  return {
    balance: {
      once: true,
      handle: (args) => {
        const balance = args.oneOf(balances);
        args.end();
        if (balance) pool.balance = balance;
      },
    },
    cookie: { once: true, handle: (args, directive) => readCookie(ctx, pool, args, directive.span) },
    health: { once: true, handle: (args, directive) => readHealth(ctx, pool, args, directive.span) },
    server: { handle: (args, directive) => readServer(ctx, pool, args, directive.span) },
  };
}

/** `cookie NAME [insert|rewrite|prefix] [indirect] [nocache] [httponly] [secure]`; insert when no method is named. */
function readCookie(ctx: AnalyzeContext, pool: ModelPool, args: ArgReader, span: ModelServer["span"]): void {
  const name = args.textRef("the cookie's name, such as `SERVERID`");
  if (!name) return;
  if (name.resolved !== null && !COOKIE_NAME.test(name.resolved)) return void ctx.diagnostics.push(diag("HAL2029", name.span, { what: "A cookie name", value: q(name.resolved), expected: "a token such as `SERVERID`" }));
  const cookie: { -readonly [K in keyof IrCookie]: IrCookie[K] } = { name: name.value, method: "insert", indirect: false, nocache: false, httponly: false, secure: false };
  let methodSeen = false;
  while (!args.done) {
    const flag = args.oneOf(["insert", "rewrite", "prefix", "indirect", "nocache", "httponly", "secure"] as const);
    if (!flag) return;
    if (flag.value === "insert" || flag.value === "rewrite" || flag.value === "prefix") {
      if (methodSeen) return void ctx.diagnostics.push(diag("HAL2016", flag.span, { statement: "The cookie method" }));
      methodSeen = true;
      cookie.method = flag.value;
    } else cookie[flag.value] = true;
  }
  if (cookie.method === "rewrite" && cookie.indirect) {
    // HAProxy refuses the pair: a rewritten cookie is always sent back to the client.
    return void ctx.diagnostics.push(diag("HAL2029", span, { what: "A cookie", value: "both `rewrite` and `indirect`", expected: "one of them (HAProxy refuses the pair)" }));
  }
  pool.cookie = { value: cookie, span };
}

/** `health http METHOD PATH [expect STATUS] [every D] [rise N] [fall N]` | `health tcp [every D] [rise N] [fall N]`. */
function readHealth(ctx: AnalyzeContext, pool: ModelPool, args: ArgReader, span: ModelServer["span"]): void {
  const kind = args.oneOf(["http", "tcp"] as const);
  if (!kind) return;
  let method = "";
  let path: IrText = "";
  if (kind.value === "http") {
    const m = args.word("an HTTP method such as `GET`");
    if (!m) return;
    if (!HTTP_METHOD.test(m.value)) return void ctx.diagnostics.push(diag("HAL2029", m.span, { what: "The check method", value: q(m.value), expected: "an upper-case HTTP method such as `GET` or `HEAD`" }));
    const p = args.textRef("the path to check, such as `/health`");
    if (!p) return;
    if (p.resolved !== null && !/^\/\S*$/.test(p.resolved)) return void ctx.diagnostics.push(diag("HAL2029", p.span, { what: "The check path", value: q(p.resolved), expected: "a path starting with `/`, without spaces" }));
    method = m.value;
    path = p.value;
  }
  let { intervalMs, rise, fall } = DEFAULT_CHECK;
  let expectStatus: number | undefined;
  const keys = kind.value === "http" ? (["expect", "every", "rise", "fall"] as const) : (["every", "rise", "fall"] as const);
  while (!args.done) {
    const key = args.oneOf<"expect" | "every" | "rise" | "fall">(keys);
    if (!key) return;
    if (key.value === "expect") {
      const status = args.integer("the expected status", 100, 599);
      if (status === undefined) return;
      expectStatus = status;
    } else if (key.value === "every") {
      const ms = args.duration("the check interval");
      if (ms === undefined) return;
      intervalMs = ms;
    } else {
      const count = args.integer(key.value === "rise" ? "rise" : "fall", 1, 1000);
      if (count === undefined) return;
      if (key.value === "rise") rise = count;
      else fall = count;
    }
  }
  const health: IrHealth =
    kind.value === "http"
      ? { kind: "http", method, path, ...(expectStatus !== undefined ? { expectStatus } : {}), intervalMs, rise, fall }
      : { kind: "tcp", intervalMs, rise, fall };
  pool.health = { value: health, span };
}

/** `server NAME ADDRESS:PORT [weight N] [backup] [maxconn N] [disabled] [check off]`. */
function readServer(ctx: AnalyzeContext, pool: ModelPool, args: ArgReader, span: ModelServer["span"]): void {
  const nameArg = args.peek();
  const name = args.word("the server's name");
  if (!name || !nameArg) return;
  if (!NAME.test(name.value)) ctx.diagnostics.push(diag("HAL2028", name.span, { text: q(name.value) }));
  const address = args.word("the server's address and port, such as `192.0.2.10:80`");
  if (!address) return;
  const hostPort = parseHostPort(address.value);
  if (!hostPort || hostPort.port === null) {
    ctx.diagnostics.push(diag("HAL2013", address.span, { text: q(address.value), expected: "server address with a port (`ADDRESS:PORT` or `[IPV6]:PORT`)" }));
    return;
  }
  let weight = 1;
  let backup = false;
  let disabled = false;
  let checkOff = false;
  let maxconn: number | undefined;
  while (!args.done) {
    const key = args.oneOf(["weight", "backup", "maxconn", "disabled", "check"] as const);
    if (!key) return;
    if (key.value === "weight") {
      const value = args.integer("the weight", 0, 256);
      if (value === undefined) return;
      weight = value;
    } else if (key.value === "maxconn") {
      const value = args.integer("maxconn", 1, 1_000_000);
      if (value === undefined) return;
      maxconn = value;
    } else if (key.value === "check") {
      if (!args.oneOf(["off"] as const, "`off` (servers are checked whenever the block has `health`)")) return;
      checkOff = true;
    } else if (key.value === "backup") backup = true;
    else disabled = true;
  }
  pool.servers.push({
    name,
    address: hostPort.address,
    family: hostPort.family,
    port: hostPort.port,
    weight,
    backup,
    ...(maxconn !== undefined ? { maxconn } : {}),
    disabled,
    checkOff,
    span,
  });
}
