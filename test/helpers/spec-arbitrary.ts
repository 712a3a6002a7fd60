/**
 * A fast-check arbitrary of VALID .hal specs, as text. Built from structured arbitraries, then
 * `normalize`d (unique names, unique ports, a master that wins, routes to pools of the same
 * mode, only what each section accepts) and printed: whatever the shrinker does to the raw
 * structure, the result is still a valid spec.
 */
import fc from "fast-check";
import { knownOptions, type SectionCapability } from "../../src/analyze/options.js";
import { timeoutSections } from "../../src/analyze/sections/proxy-settings.js";
import type { TimeoutKind } from "../../src/ir/types.js";

// ── Vocabulary ───────────────────────────────────────────────────────────────

type Mode = "http" | "tcp";
type Section = SectionCapability;

// Where each timeout and option may stand is the analyzer's own table: valid means what it accepts.
const TIMEOUT_SECTIONS = timeoutSections;
const TIMEOUT_KINDS = Object.keys(TIMEOUT_SECTIONS) as TimeoutKind[];
const OPTIONS = knownOptions;
const OPTION_NAMES = Object.keys(OPTIONS);

const BALANCES = ["roundrobin", "static-rr", "leastconn", "source", "uri", "first", "random"] as const;
const FACILITIES = ["kern", "user", "daemon", "syslog", "local0", "local1", "local2", "local7"] as const;
const LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;
const INTERFACES = ["eth0", "eth1", "ens3", "bond0", "lan_1", "enp0s3"] as const;
const ACCOUNTS = ["root", "nobody", "haproxy"] as const;
/** Characters of generated passwords: no quote, backslash, colon or control character. */
const PASSWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!%+,._~-@";

// ── Raw structure ────────────────────────────────────────────────────────────

export type Secret = { kind: "env"; value: string } | { kind: "literal"; value: string; quoted: boolean };
type Dur = { ms: number; unit: "ms" | "s" | "m" | "h" | "d" };
type Log = { global: true } | { address: string; facility: string; level: string | null; minLevel: string | null };
type BindKind = { kind: "vip"; n: number; short: boolean } | { kind: "node" } | { kind: "any"; star: boolean } | { kind: "address"; address: string };
interface Bind {
  target: BindKind;
  port: number;
}

interface Vip {
  address: string;
  prefix: number;
  dev: string | null;
  label: boolean;
}
interface Node {
  name: string;
  address: string;
  priority: number | null;
  priorityInBlock: boolean;
  iface: string | null;
}
interface Track {
  every: number | null;
  fall: number | null;
  rise: number | null;
  weight: number | null;
  timeout: number | null;
  ms: boolean;
}
interface Cluster {
  name: string;
  iface: string;
  vips: Vip[];
  ipv6: { position: number; address: string; prefix: number; dev: string | null } | null;
  vrid: number;
  advert: Dur | null;
  auth: Secret | null;
  preempt: { mode: "on" } | { mode: "off" } | { mode: "delay"; seconds: number } | null;
  unicast: boolean;
  track: Track | null;
  email: { to: string[]; from: string | null; host: string; port: number | null } | null;
  exec: string[];
  scripts: string | null;
  nodes: Node[];
  master: number;
}
interface Global {
  maxconn: number | null;
  logs: Log[];
  threads: number | null;
  user: string | null;
  group: string | null;
  pidfile: string | null;
  chroot: string | null;
  socket: { path: string; level: "user" | "operator" | "admin" | null } | null;
  daemon: boolean;
}
interface Settings {
  mode: Mode | null;
  timeouts: [TimeoutKind, Dur][];
  oneTimeoutLine: boolean;
  options: string[];
  logs: Log[];
  maxconn: number | null;
  retries: number | null;
  redispatch: boolean;
}
type Defaults = Settings;
interface Stats {
  binds: Bind[];
  uri: string | null;
  realm: string | null;
  auths: { user: string; password: Secret }[];
  refresh: Dur | null;
  hideVersion: boolean;
  admin: boolean;
  logs: Log[];
}
interface Route {
  conditions: ({ kind: "host"; value: string; quoted: boolean } | { kind: "path"; value: string; quoted: boolean })[];
  target: number;
}
interface Frontend extends Settings {
  name: string;
  binds: Bind[];
  routes: Route[];
  defaultTarget: number | null;
}
interface Server {
  name: string;
  address: string;
  weight: number | null;
  backup: boolean;
  maxconn: number | null;
  disabled: boolean;
  checkOff: boolean;
}
interface Pool extends Settings {
  kind: "backend" | "listen";
  name: string;
  binds: Bind[];
  balance: (typeof BALANCES)[number] | null;
  cookie: { name: string; method: "insert" | "rewrite" | "prefix" | null; flags: string[] } | null;
  health:
    | { kind: "http"; method: string; path: string; expect: number | null; every: Dur | null; rise: number | null; fall: number | null }
    | { kind: "tcp"; every: Dur | null; rise: number | null; fall: number | null }
    | null;
  servers: Server[];
}
interface Layout {
  indent: string;
  semicolons: boolean;
  comments: boolean;
  order: number;
}

export interface GeneratedSpec {
  cluster: Cluster;
  global: Global | null;
  defaults: Defaults | null;
  stats: Stats | null;
  frontends: Frontend[];
  pools: Pool[];
  layout: Layout;
  /** env(VRRP_PASS) / env(STATS_PASS) values. */
  vrrpPass: string;
  statsPass: string;
}

// ── Arbitraries ──────────────────────────────────────────────────────────────

const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/);
const ifaceArb = fc.constantFrom(...INTERFACES);
const ipv4Arb = fc
  .tuple(fc.constantFrom("192.168", "198.18"), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map(([net, c, d]) => `${net}.${c}.${d}`);
const ipv6Arb = fc
  .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }))
  .map(([a, b]) => `2001:db8:${a.toString(16)}::${b.toString(16)}`);
const portArb = fc.integer({ min: 1024, max: 60000 });
const passwordArb = fc.string({ unit: fc.constantFrom(...PASSWORD_CHARS), minLength: 1, maxLength: 8 });
const secretArb: fc.Arbitrary<Secret> = fc.oneof(
  fc.constant<Secret>({ kind: "env", value: "" }),
  fc.record({ kind: fc.constant("literal" as const), value: passwordArb, quoted: fc.boolean() }),
);
const wholeSecondsArb = (min: number, max: number): fc.Arbitrary<Dur> =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom("s" as const, "ms" as const, "m" as const)).map(([s, unit]) => {
    if (unit === "m" && s % 60 === 0 && s > 0) return { ms: s * 1000, unit };
    return { ms: s * 1000, unit: unit === "m" ? "s" : unit };
  });
const haproxyDurArb: fc.Arbitrary<Dur> = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((n) => ({ ms: n, unit: "ms" as const })),
  fc.integer({ min: 1, max: 300 }).map((n) => ({ ms: n * 1000, unit: "s" as const })),
  fc.integer({ min: 1, max: 60 }).map((n) => ({ ms: n * 60_000, unit: "m" as const })),
  fc.integer({ min: 1, max: 8 }).map((n) => ({ ms: n * 3_600_000, unit: "h" as const })),
  fc.constant({ ms: 86_400_000, unit: "d" as const }),
);
const logArb = (allowGlobal: boolean): fc.Arbitrary<Log> => {
  const target = fc
    .record({
      address: fc.constantFrom("127.0.0.1", "127.0.0.1:514", "/dev/log", "192.168.1.5:1514"),
      facility: fc.constantFrom(...FACILITIES),
      level: fc.option(fc.constantFrom(...LEVELS)),
      minLevel: fc.option(fc.constantFrom(...LEVELS)),
    })
    .map((l) => ({ ...l, minLevel: l.level === null ? null : l.minLevel }));
  return allowGlobal ? fc.oneof(fc.constant<Log>({ global: true }), target) : target;
};
const hostArb = fc
  .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join("."));
const pathArb = fc.array(fc.stringMatching(/^[a-z0-9_.-]{1,8}$/), { maxLength: 3 }).chain((segments) =>
  fc.boolean().map((slash) => `/${segments.join("/")}${slash && segments.length > 0 ? "/" : ""}`),
);
const emailArb = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,7}$/), hostArb).map(([user, host]) => `${user}@${host}`);

const bindArb: fc.Arbitrary<Bind> = fc.record({
  target: fc.oneof(
    fc.record({ kind: fc.constant("vip" as const), n: fc.nat(), short: fc.boolean() }),
    fc.record({ kind: fc.constant("node" as const) }),
    fc.record({ kind: fc.constant("any" as const), star: fc.boolean() }),
    fc.record({ kind: fc.constant("address" as const), address: fc.constantFrom("127.0.0.1", "0.0.0.0", "198.18.200.1", "[::1]", "[2001:db8::99]") }),
  ),
  port: portArb,
});

const settingsArb = (): fc.Arbitrary<Settings> =>
  fc.record({
    mode: fc.option(fc.constantFrom<Mode>("http", "tcp")),
    timeouts: fc.uniqueArray(fc.tuple(fc.constantFrom(...TIMEOUT_KINDS), haproxyDurArb), { maxLength: 4, selector: ([k]) => k }),
    oneTimeoutLine: fc.boolean(),
    options: fc.uniqueArray(fc.constantFrom(...OPTION_NAMES), { maxLength: 4 }),
    logs: fc.array(logArb(true), { maxLength: 2 }),
    maxconn: fc.option(fc.integer({ min: 1, max: 5000 })),
    retries: fc.option(fc.integer({ min: 0, max: 5 })),
    redispatch: fc.boolean(),
  });

const clusterArb: fc.Arbitrary<Cluster> = fc.record({
  name: nameArb,
  iface: ifaceArb,
  vips: fc.array(fc.record({ address: ipv4Arb, prefix: fc.integer({ min: 16, max: 32 }), dev: fc.option(ifaceArb), label: fc.boolean() }), {
    minLength: 1,
    maxLength: 3,
  }),
  ipv6: fc.option(fc.record({ position: fc.nat(), address: ipv6Arb, prefix: fc.integer({ min: 48, max: 128 }), dev: fc.option(ifaceArb) })),
  vrid: fc.integer({ min: 1, max: 255 }),
  advert: fc.option(wholeSecondsArb(1, 10)),
  auth: fc.option(secretArb),
  preempt: fc.option(
    fc.oneof(
      fc.constant({ mode: "on" as const }),
      fc.constant({ mode: "off" as const }),
      fc.record({ mode: fc.constant("delay" as const), seconds: fc.integer({ min: 0, max: 300 }) }),
    ),
  ),
  unicast: fc.boolean(),
  track: fc.option(
    fc.record({
      every: fc.option(fc.integer({ min: 1, max: 5 })),
      fall: fc.option(fc.integer({ min: 1, max: 5 })),
      rise: fc.option(fc.integer({ min: 1, max: 5 })),
      weight: fc.option(fc.integer({ min: -100, max: 100 })),
      timeout: fc.option(fc.integer({ min: 1, max: 5 })),
      ms: fc.boolean(),
    }),
  ),
  email: fc.option(
    fc.record({
      to: fc.array(emailArb, { minLength: 1, maxLength: 2 }),
      from: fc.option(emailArb),
      host: fc.constantFrom("127.0.0.1", "192.168.1.25", "198.18.0.25"),
      port: fc.option(fc.constantFrom(25, 587, 2525)),
    }),
  ),
  exec: fc.array(
    fc.tuple(fc.constantFrom("/usr/local/bin/page-oncall", "/usr/bin/logger", "/opt/alert.sh"), fc.stringMatching(/^[a-z0-9 -]{0,12}$/)).map(([cmd, args]) =>
      `${cmd} ${args}`.trim(),
    ),
    { maxLength: 2 },
  ),
  scripts: fc.option(fc.constantFrom("/etc/halb", "/etc/keepalived/halb/")),
  nodes: fc.array(
    fc.record({ name: nameArb, address: ipv4Arb, priority: fc.option(fc.integer({ min: 1, max: 254 })), priorityInBlock: fc.boolean(), iface: fc.option(ifaceArb) }),
    { minLength: 2, maxLength: 4 },
  ),
  master: fc.nat(),
});

const globalArb: fc.Arbitrary<Global> = fc.record({
  maxconn: fc.option(fc.integer({ min: 100, max: 5000 })),
  logs: fc.array(logArb(false), { maxLength: 2 }),
  threads: fc.option(fc.integer({ min: 1, max: 4 })),
  user: fc.option(fc.constantFrom(...ACCOUNTS)),
  group: fc.option(fc.constantFrom(...ACCOUNTS)),
  pidfile: fc.option(fc.constantFrom("/run/haproxy.pid", "/var/run/halb/haproxy.pid")),
  chroot: fc.option(fc.constantFrom("/var/lib/haproxy", "/")),
  socket: fc.option(fc.record({ path: fc.constantFrom("/run/haproxy/admin.sock", "/var/run/halb.sock"), level: fc.option(fc.constantFrom("user" as const, "operator" as const, "admin" as const)) })),
  daemon: fc.boolean(),
});

const statsArb: fc.Arbitrary<Stats> = fc.record({
  binds: fc.array(bindArb, { minLength: 1, maxLength: 2 }),
  uri: fc.option(pathArb),
  realm: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,20}$/)),
  auths: fc.uniqueArray(fc.record({ user: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,7}$/), password: secretArb }), { maxLength: 2, selector: (a) => a.user }),
  refresh: fc.option(wholeSecondsArb(1, 60)),
  hideVersion: fc.boolean(),
  admin: fc.boolean(),
  logs: fc.array(logArb(true), { maxLength: 1 }),
});

const routeArb: fc.Arbitrary<Route> = fc.record({
  conditions: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant("host" as const), value: hostArb, quoted: fc.boolean() }),
      fc.record({ kind: fc.constant("path" as const), value: pathArb, quoted: fc.boolean() }),
    ),
    { minLength: 1, maxLength: 2 },
  ),
  target: fc.nat(),
});

const frontendArb: fc.Arbitrary<Frontend> = fc
  .tuple(
    settingsArb(),
    fc.record({ name: nameArb, binds: fc.array(bindArb, { minLength: 1, maxLength: 2 }), routes: fc.array(routeArb, { maxLength: 4 }), defaultTarget: fc.option(fc.nat()) }),
  )
  .map(([settings, rest]) => ({ ...settings, ...rest }));

const healthArb: fc.Arbitrary<Pool["health"]> = fc.option(
  fc.oneof(
    fc.record({
      kind: fc.constant("http" as const),
      method: fc.constantFrom("GET", "HEAD", "OPTIONS"),
      path: pathArb,
      expect: fc.option(fc.constantFrom(200, 204, 301, 404)),
      every: fc.option(haproxyDurArb),
      rise: fc.option(fc.integer({ min: 1, max: 5 })),
      fall: fc.option(fc.integer({ min: 1, max: 5 })),
    }),
    fc.record({ kind: fc.constant("tcp" as const), every: fc.option(haproxyDurArb), rise: fc.option(fc.integer({ min: 1, max: 5 })), fall: fc.option(fc.integer({ min: 1, max: 5 })) }),
  ),
);

const serverArb: fc.Arbitrary<Server> = fc.record({
  name: nameArb,
  address: fc.oneof(
    { weight: 5, arbitrary: fc.tuple(ipv4Arb, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`) },
    { weight: 1, arbitrary: fc.tuple(ipv6Arb, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `[${a}]:${p}`) },
  ),
  weight: fc.option(fc.integer({ min: 0, max: 256 })),
  backup: fc.boolean(),
  maxconn: fc.option(fc.integer({ min: 1, max: 10000 })),
  disabled: fc.boolean(),
  checkOff: fc.boolean(),
});

const poolArb: fc.Arbitrary<Pool> = fc
  .tuple(
    settingsArb(),
    fc.record({
      kind: fc.constantFrom("backend" as const, "listen" as const),
      name: nameArb,
      binds: fc.array(bindArb, { minLength: 1, maxLength: 2 }),
      balance: fc.option(fc.constantFrom(...BALANCES)),
      cookie: fc.option(
        fc.record({
          name: fc.constantFrom("SERVERID", "JSESSIONID", "srv_id"),
          method: fc.option(fc.constantFrom("insert" as const, "rewrite" as const, "prefix" as const)),
          flags: fc.subarray(["indirect", "nocache", "httponly", "secure"]),
        }),
      ),
      health: healthArb,
      servers: fc.array(serverArb, { minLength: 1, maxLength: 4 }),
    }),
  )
  .map(([settings, rest]) => ({ ...settings, ...rest }));

const rawSpecArb = fc.record({
  cluster: clusterArb,
  global: fc.option(globalArb),
  defaults: fc.option(settingsArb()),
  stats: fc.option(statsArb),
  frontends: fc.array(frontendArb, { minLength: 1, maxLength: 4 }),
  pools: fc.array(poolArb, { minLength: 1, maxLength: 4 }),
  layout: fc.record({ indent: fc.constantFrom("  ", "    ", "\t"), semicolons: fc.boolean(), comments: fc.boolean(), order: fc.nat() }),
  vrrpPass: passwordArb,
  statsPass: passwordArb,
});

// ── Normalization: make every generated structure a valid spec ───────────────

function uniqueNames<T extends { name: string }>(items: T[], taken: Set<string>): void {
  for (const item of items) {
    let name = item.name;
    for (let i = 2; taken.has(name); i++) name = `${item.name}_${i}`;
    taken.add(name);
    item.name = name;
  }
}

function uniqueAddresses(addresses: string[], taken: Set<string>): string[] {
  return addresses.map((address) => {
    let candidate = address;
    const parts = address.split(".").map(Number);
    while (taken.has(candidate)) {
      parts[3] = (parts[3]! % 254) + 1;
      if (parts[3] === 1) parts[2] = (parts[2]! + 1) % 256;
      candidate = parts.join(".");
    }
    taken.add(candidate);
    return candidate;
  });
}

function allowedOption(option: string, section: Section, mode: Mode): boolean {
  const info = OPTIONS[option]!;
  if (!info.sections.includes(section)) return false;
  return mode === "http" || !info.httpOnly || option === "httplog";
}

function normalizeSettings(s: Settings, section: Section, mode: Mode): void {
  s.timeouts = s.timeouts.filter(([kind]) => TIMEOUT_SECTIONS[kind].includes(section));
  s.options = s.options.filter((o) => allowedOption(o, section, mode));
  if (section === "backend") s.maxconn = null;
  if (section === "frontend") {
    s.retries = null;
    s.redispatch = false;
  }
  if (s.redispatch && s.options.includes("redispatch")) s.options = s.options.filter((o) => o !== "redispatch");
}

function normalize(raw: GeneratedSpec): GeneratedSpec {
  const spec: GeneratedSpec = structuredClone(raw);
  const { cluster } = spec;

  // Cluster: distinct addresses, one master that wins, an IPv6 VIP never first.
  const taken = new Set<string>();
  const vipAddresses = uniqueAddresses(cluster.vips.map((v) => v.address), taken);
  cluster.vips.forEach((v, i) => (v.address = vipAddresses[i]!));
  const nodeAddresses = uniqueAddresses(cluster.nodes.map((n) => n.address), taken);
  cluster.nodes.forEach((n, i) => (n.address = nodeAddresses[i]!));
  uniqueNames(cluster.nodes, new Set());
  cluster.master %= cluster.nodes.length;
  const masterNode = cluster.nodes[cluster.master]!;
  if (masterNode.priority !== null && masterNode.priority < 2) masterNode.priority = 2;
  const masterPriority = masterNode.priority ?? 100;
  let backupIndex = 0;
  for (const [i, node] of cluster.nodes.entries()) {
    if (i === cluster.master) continue;
    backupIndex += 1;
    const effective = node.priority ?? Math.max(1, 100 - 10 * backupIndex);
    if (effective >= masterPriority) node.priority = 1 + (effective % (masterPriority - 1));
  }
  if (cluster.track) {
    // Keepalived: the timeout of a vrrp_script is at most its interval in practice; keep it sane.
    if (cluster.track.timeout !== null && cluster.track.every !== null && cluster.track.timeout > cluster.track.every) cluster.track.timeout = cluster.track.every;
  }
  const vipCount = cluster.vips.length + (cluster.ipv6 ? 1 : 0);

  const modeOf = (s: Settings): Mode => s.mode ?? spec.defaults?.mode ?? "http";

  // Names: one namespace for proxies (and `stats`).
  const proxyNames = new Set<string>(["stats"]);
  uniqueNames(spec.frontends, proxyNames);
  uniqueNames(spec.pools, proxyNames);
  for (const pool of spec.pools) uniqueNames(pool.servers, new Set());

  // Ports: every bind of every proxy on its own port, so no two proxies ever share an address:port.
  const ports = new Set<number>();
  const fixBinds = (binds: Bind[]): void => {
    for (const bind of binds) {
      while (ports.has(bind.port)) bind.port = bind.port >= 60000 ? 1024 : bind.port + 1;
      ports.add(bind.port);
      if (bind.target.kind === "vip") bind.target.n = bind.target.n % vipCount;
    }
  };
  if (spec.stats) fixBinds(spec.stats.binds);
  for (const f of spec.frontends) fixBinds(f.binds);
  for (const p of spec.pools) if (p.kind === "listen") fixBinds(p.binds);

  if (spec.defaults) normalizeSettings(spec.defaults, "defaults", spec.defaults.mode ?? "http");
  for (const pool of spec.pools) {
    const mode = modeOf(pool);
    normalizeSettings(pool, pool.kind, mode);
    if (mode !== "http") pool.cookie = null;
    // Not valid: `balance uri` needs the HTTP request (HAL2008; HAProxy would fall back to round robin).
    if (mode !== "http" && pool.balance === "uri") pool.balance = "source";
    // Not valid: HAProxy refuses `cookie NAME rewrite indirect` (HAL2029).
    if (pool.cookie?.method === "rewrite") pool.cookie.flags = pool.cookie.flags.filter((f) => f !== "indirect");
    if (pool.kind === "backend") pool.binds = [];
  }
  for (const frontend of spec.frontends) {
    const mode = modeOf(frontend);
    normalizeSettings(frontend, "frontend", mode);
    const candidates = spec.pools.filter((p) => modeOf(p) === mode);
    if (candidates.length === 0 || mode !== "http") frontend.routes = [];
    if (candidates.length === 0) frontend.defaultTarget = null;
    for (const route of frontend.routes) route.target %= candidates.length;
    if (frontend.defaultTarget !== null) frontend.defaultTarget %= candidates.length;
  }
  return spec;
}

// ── Printing ─────────────────────────────────────────────────────────────────

/** A value as a .hal word: bare when it lexes as one, else a quoted string. */
export function halValue(value: string, preferQuoted = false): string {
  if (!preferQuoted && /^[^\s{};"#]+$/.test(value) && !value.startsWith("env(") && !value.includes("->")) return value;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function dur(d: Dur): string {
  switch (d.unit) {
    case "ms":
      return `${d.ms}ms`;
    case "s":
      return `${d.ms / 1000}s`;
    case "m":
      return `${d.ms / 60_000}m`;
    case "h":
      return `${d.ms / 3_600_000}h`;
    case "d":
      return `${d.ms / 86_400_000}d`;
  }
}

function secret(s: Secret, envName: string): string {
  return s.kind === "env" ? `env(${envName})` : halValue(s.value, s.quoted);
}

function logLine(log: Log): string {
  if ("global" in log) return "log global";
  return ["log", log.address, log.facility, log.level, log.minLevel].filter((w) => w !== null).join(" ");
}

function bindWord(bind: Bind, vipCount: number): string {
  const t = bind.target;
  switch (t.kind) {
    case "vip":
      return t.n === 0 && t.short ? `vip:${bind.port}` : `vip(${(t.n % vipCount) + 1}):${bind.port}`;
    case "node":
      return `node:${bind.port}`;
    case "any":
      return t.star ? `*:${bind.port}` : `:${bind.port}`;
    case "address":
      return `${t.address}:${bind.port}`;
  }
}

function settingsLines(s: Settings): string[] {
  const lines: string[] = [];
  if (s.mode) lines.push(`mode ${s.mode}`);
  if (s.maxconn !== null) lines.push(`maxconn ${s.maxconn}`);
  if (s.retries !== null) lines.push(`retries ${s.retries}`);
  if (s.redispatch) lines.push("redispatch");
  if (s.timeouts.length > 0) {
    if (s.oneTimeoutLine) lines.push(`timeout ${s.timeouts.map(([k, d]) => `${k} ${dur(d)}`).join(" ")}`);
    else for (const [k, d] of s.timeouts) lines.push(`timeout ${k} ${dur(d)}`);
  }
  for (const log of s.logs) lines.push(logLine(log));
  if (s.options.length > 0) lines.push(`option ${s.options.join(" ")}`);
  return lines;
}

class Printer {
  private readonly out: string[] = [];
  private comment = 0;

  constructor(private readonly layout: Layout) {}

  block(head: string, lines: readonly (string | { head: string; lines: string[] })[]): void {
    const { indent, semicolons, comments } = this.layout;
    this.out.push(`${head} {`);
    const flat = lines.map((l) => (typeof l === "string" ? l : null));
    if (semicolons && flat.every((l) => l !== null) && lines.length > 0) {
      // Statements joined with `;`, two per line.
      for (let i = 0; i < lines.length; i += 2) this.out.push(indent + (lines as string[]).slice(i, i + 2).join("; "));
    } else {
      for (const line of lines) {
        if (typeof line === "string") this.out.push(indent + line + (comments && this.comment++ % 3 === 0 ? `   # note ${this.comment}` : ""));
        else {
          this.out.push(`${indent}${line.head} {`);
          for (const inner of line.lines) this.out.push(indent + indent + inner);
          this.out.push(`${indent}}`);
        }
      }
    }
    this.out.push("}", "");
  }

  text(): string {
    return this.out.join("\n");
  }
}

export function printSpec(spec: GeneratedSpec): string {
  const { cluster } = spec;
  const vipCount = cluster.vips.length + (cluster.ipv6 ? 1 : 0);
  const blocks: ((p: Printer) => void)[] = [];

  blocks.push((p) => {
    const lines: (string | { head: string; lines: string[] })[] = [`interface ${cluster.iface}`];
    const vipLines = cluster.vips.map((v) => {
      const dev = v.dev ?? cluster.iface;
      return [`vip ${v.address}/${v.prefix}`, v.dev ? `dev ${v.dev}` : "", v.label ? `label ${dev}:v${v.address.split(".")[3]}` : ""].filter(Boolean).join(" ");
    });
    if (cluster.ipv6) {
      const v6 = cluster.ipv6;
      vipLines.splice(1 + (v6.position % vipLines.length), 0, [`vip ${v6.address}/${v6.prefix}`, v6.dev ? `dev ${v6.dev}` : ""].filter(Boolean).join(" "));
    }
    lines.push(...vipLines, `vrid ${cluster.vrid}`);
    if (cluster.advert) lines.push(`advert ${dur(cluster.advert)}`);
    if (cluster.auth) lines.push(`auth pass ${secret(cluster.auth, "VRRP_PASS")}`);
    if (cluster.preempt) lines.push(cluster.preempt.mode === "delay" ? `preempt delay ${cluster.preempt.seconds}s` : `preempt ${cluster.preempt.mode}`);
    if (cluster.unicast) lines.push("unicast");
    if (cluster.track) {
      const t = cluster.track;
      const words = ["track haproxy"];
      const sec = (n: number): string => (t.ms ? `${n * 1000}ms` : `${n}s`);
      if (t.every !== null) words.push(`every ${sec(t.every)}`);
      if (t.fall !== null) words.push(`fall ${t.fall}`);
      if (t.rise !== null) words.push(`rise ${t.rise}`);
      if (t.weight !== null) words.push(`weight ${t.weight}`);
      if (t.timeout !== null) words.push(`timeout ${sec(t.timeout)}`);
      lines.push(words.join(" "));
    }
    if (cluster.email) {
      const e = cluster.email;
      lines.push(`notify email ${e.to.join(" ")}${e.from ? ` from ${e.from}` : ""} via ${e.host}${e.port !== null ? `:${e.port}` : ""}`);
    }
    for (const command of cluster.exec) lines.push(`notify exec ${halValue(command, true)}`);
    if (cluster.scripts) lines.push(`scripts ${cluster.scripts}`);
    for (const [i, node] of cluster.nodes.entries()) {
      const role = i === cluster.master ? "master" : "backup";
      const inline = node.priority !== null && !node.priorityInBlock ? ` priority ${node.priority}` : "";
      const block: string[] = [];
      if (node.iface) block.push(`interface ${node.iface}`);
      if (node.priority !== null && node.priorityInBlock) block.push(`priority ${node.priority}`);
      const head = `node ${node.name} ${node.address} ${role}${inline}`;
      lines.push(block.length > 0 ? { head, lines: block } : head);
    }
    p.block(`cluster ${cluster.name}`, lines);
  });

  const g = spec.global;
  if (g) {
    blocks.push((p) => {
      const lines: string[] = [];
      if (g.maxconn !== null) lines.push(`maxconn ${g.maxconn}`);
      lines.push(...g.logs.map(logLine));
      if (g.threads !== null) lines.push(`threads ${g.threads}`);
      if (g.user) lines.push(`user ${g.user}`);
      if (g.group) lines.push(`group ${g.group}`);
      if (g.pidfile) lines.push(`pidfile ${g.pidfile}`);
      if (g.chroot) lines.push(`chroot ${g.chroot}`);
      if (g.socket) lines.push(`socket ${g.socket.path}${g.socket.level ? ` level ${g.socket.level}` : ""}`);
      if (g.daemon) lines.push("daemon");
      p.block("global", lines);
    });
  }
  const d = spec.defaults;
  if (d) blocks.push((p) => p.block("defaults", settingsLines(d)));
  const s = spec.stats;
  if (s) {
    blocks.push((p) => {
      const lines = [`bind ${s.binds.map((b) => bindWord(b, vipCount)).join(" ")}`];
      if (s.uri) lines.push(`uri ${s.uri}`);
      if (s.realm) lines.push(`realm ${halValue(s.realm, true)}`);
      for (const a of s.auths) lines.push(`auth ${a.user} ${secret(a.password, "STATS_PASS")}`);
      if (s.refresh) lines.push(`refresh ${dur(s.refresh)}`);
      if (s.hideVersion) lines.push("hide-version");
      if (s.admin) lines.push("admin");
      lines.push(...s.logs.map(logLine));
      p.block("stats", lines);
    });
  }
  const modeOf = (x: Settings): Mode => x.mode ?? spec.defaults?.mode ?? "http";
  for (const f of spec.frontends) {
    blocks.push((p) => {
      const candidates = spec.pools.filter((pool) => modeOf(pool) === modeOf(f));
      const lines = f.binds.length > 1 && f.binds.length % 2 === 0 ? [`bind ${f.binds.map((b) => bindWord(b, vipCount)).join(" ")}`] : f.binds.map((b) => `bind ${bindWord(b, vipCount)}`);
      lines.push(...settingsLines(f));
      for (const r of f.routes) {
        const conditions = r.conditions.map((c) => `${c.kind} ${halValue(c.value, c.quoted)}`).join(" ");
        lines.push(`route ${conditions} -> ${candidates[r.target]!.name}`);
      }
      if (f.defaultTarget !== null) lines.push(`default -> ${candidates[f.defaultTarget]!.name}`);
      p.block(`frontend ${f.name}`, lines);
    });
  }
  for (const pool of spec.pools) {
    blocks.push((p) => {
      const lines = pool.binds.map((b) => `bind ${bindWord(b, vipCount)}`);
      lines.push(...settingsLines(pool));
      if (pool.balance) lines.push(`balance ${pool.balance}`);
      if (pool.cookie) lines.push(["cookie", pool.cookie.name, pool.cookie.method, ...pool.cookie.flags].filter((w) => w !== null).join(" "));
      const h = pool.health;
      if (h) {
        const words = h.kind === "http" ? ["health http", h.method, h.path] : ["health tcp"];
        if (h.kind === "http" && h.expect !== null) words.push(`expect ${h.expect}`);
        if (h.every) words.push(`every ${dur(h.every)}`);
        if (h.rise !== null) words.push(`rise ${h.rise}`);
        if (h.fall !== null) words.push(`fall ${h.fall}`);
        lines.push(words.join(" "));
      }
      for (const server of pool.servers) {
        const words = ["server", server.name, server.address];
        if (server.weight !== null) words.push(`weight ${server.weight}`);
        if (server.backup) words.push("backup");
        if (server.maxconn !== null) words.push(`maxconn ${server.maxconn}`);
        if (server.disabled) words.push("disabled");
        if (server.checkOff) words.push("check off");
        lines.push(words.join(" "));
      }
      p.block(`${pool.kind} ${pool.name}`, lines);
    });
  }

  // Section order: the cluster first unless `order` says otherwise (it may come anywhere).
  const order = blocks.map((_, i) => i);
  let seed = spec.layout.order;
  for (let i = order.length - 1; i > 0 && seed > 0; i--) {
    const j = seed % (i + 1);
    seed = Math.floor(seed / (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const printer = new Printer(spec.layout);
  for (const i of order) blocks[i]!(printer);
  return `# generated by the property test\n${printer.text()}`;
}

export interface SpecCase {
  readonly spec: GeneratedSpec;
  readonly text: string;
  readonly env: Record<string, string>;
}

/** Valid specs as text, with the environment their env(…) references need. */
export const validSpecArb: fc.Arbitrary<SpecCase> = (rawSpecArb as fc.Arbitrary<GeneratedSpec>).map((raw) => {
  const spec = normalize(raw);
  return { spec, text: printSpec(spec), env: { VRRP_PASS: spec.vrrpPass, STATS_PASS: spec.statsPass } };
});
