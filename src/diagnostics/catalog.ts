/**
 * Every compiler diagnostic halb can produce, by stable code. Numbers are never reused.
 * Ranges: HAL1xxx syntax, HAL2xxx meaning, HAL3xxx IR schema, HAL4xxx internal, HAL5xxx CLI and files.
 * `halb explain CODE` prints `help`.
 */
import type { Severity } from "./diagnostic.js";

export interface CatalogEntry {
  readonly name: string;
  readonly severity: Severity;
  /** `{placeholders}` are filled from the data passed to `diag()`. */
  readonly template: string;
  readonly help: string;
}

export const catalog = {
  // ── HAL1xxx: reading the text ──────────────────────────────────────────────
  HAL1001: {
    name: "unexpected-character",
    severity: "error",
    template: "Unexpected character {text}.",
    help: "Only words, numbers, quoted strings, `{`, `}`, `;`, `->` and `#` comments may appear in a .hal file.",
  },
  HAL1002: {
    name: "unterminated-string",
    severity: "error",
    template: "This string is not closed before the end of the line.",
    help: 'Close the string with `"` on the same line; write `\\"` for a quote inside it.',
  },
  HAL1003: {
    name: "unexpected-token",
    severity: "error",
    template: "Expected {expected} but found {found}.",
    help: "A statement is a keyword followed by its arguments, ended by a newline or `;`; a block is `keyword [name] { … }`.",
  },
  HAL1004: {
    name: "unclosed-block",
    severity: "error",
    template: "The block {block} is not closed: expected `}` before the end of the file.",
    help: "Every `{` needs a matching `}`.",
  },
  HAL1005: {
    name: "invalid-escape",
    severity: "error",
    template: "Unknown escape {text} in a string.",
    help: 'Strings know three escapes: `\\"`, `\\\\` and `\\n`.',
  },
  HAL1006: {
    name: "include-not-found",
    severity: "error",
    template: "Cannot read the included file {path}: {reason}.",
    help: "`include` paths are relative to the file that includes them.",
  },
  HAL1007: {
    name: "include-cycle",
    severity: "error",
    template: "Including {path} again would never end: {chain}.",
    help: "Remove one of the `include` statements that form the cycle.",
  },
  HAL1008: {
    name: "include-not-top-level",
    severity: "error",
    template: "`include` may only stand at the top level of a file.",
    help: "Move the `include` statement out of the block.",
  },
  HAL1009: {
    name: "invalid-encoding",
    severity: "error",
    template: "The file is not valid UTF-8 text.",
    help: ".hal files are UTF-8 text.",
  },

  // ── HAL2xxx: what the text means ───────────────────────────────────────────
  HAL2001: {
    name: "unknown-directive",
    severity: "error",
    template: "Unknown statement {name} in {where}.{suggestion}",
    help: "Each block accepts its own set of statements (see grammar/README.md). HAProxy directives that halb does not model can be passed through with `raw \"…\"`.",
  },
  HAL2002: {
    name: "duplicate-name",
    severity: "error",
    template: "{kind} {name} is defined twice.",
    help: "Names of frontends, backends and listen sections share one namespace in HAProxy; server names are unique within their block; node names are unique in the cluster.",
  },
  HAL2003: {
    name: "unknown-reference",
    severity: "error",
    template: "There is no backend or listen section named {name}.{suggestion}",
    help: "Declare it with `backend NAME { … }` or fix the reference.",
  },
  HAL2004: {
    name: "master-count",
    severity: "error",
    template: "The cluster needs exactly one master node, found {count}.",
    help: "Mark one node `master` and every other node `backup`.",
  },
  HAL2005: {
    name: "out-of-range",
    severity: "error",
    template: "{what} must be {range}, got {value}.",
    help: "These ranges come from HAProxy and Keepalived; outside them the daemons refuse the value or silently replace it.",
  },
  HAL2006: {
    name: "auth-pass-length",
    severity: "error",
    template: "The VRRP password must be 1 to 8 characters long, it has {length}.",
    help: "Keepalived silently truncates longer PASS passwords to 8 characters, so two nodes can disagree without anyone noticing.",
  },
  HAL2007: {
    name: "missing-environment-variable",
    severity: "error",
    template: "The environment variable {name} is not set.",
    help: "Set it before compiling (e.g. `export NAME=…`), or write the value in the spec.",
  },
  HAL2008: {
    name: "http-only-in-tcp",
    severity: "error",
    template: "{what} needs `mode http`, but {proxy} is in `mode tcp`.",
    help: "HAProxy ignores HTTP features in a TCP proxy (with a warning). Switch the proxy to `mode http` or remove the statement.",
  },
  HAL2009: {
    name: "removed-keyword",
    severity: "error",
    template: "{keyword} was removed in HAProxy {removedIn}; the target is HAProxy {target}.{replacement}",
    help: "halb never writes a keyword the target HAProxy version refuses.",
  },
  HAL2010: {
    name: "missing-argument",
    severity: "error",
    template: "{statement} needs {expected}.",
    help: "See the statement's syntax in grammar/README.md.",
  },
  HAL2011: {
    name: "unexpected-argument",
    severity: "error",
    template: "Unexpected {found} in {statement}: expected {expected}.",
    help: "See the statement's syntax in grammar/README.md.",
  },
  HAL2012: {
    name: "duration-without-unit",
    severity: "error",
    template: "The duration {text} has no unit: write e.g. {example}.",
    help: "HAProxy reads a bare number as milliseconds and Keepalived as seconds; halb asks for the unit (ms, s, m, h, d).",
  },
  HAL2013: {
    name: "invalid-address",
    severity: "error",
    template: "{text} is not a valid {expected}.",
    help: "Addresses are IPv4 (`192.0.2.1`), IPv6 in brackets with a port (`[2001:db8::1]:80`), or `*:PORT` / `:PORT`; prefixes are written `/24`.",
  },
  HAL2014: {
    name: "missing-block",
    severity: "error",
    template: "The spec has no {block} block.",
    help: "Every spec needs exactly one `cluster NAME { … }` with its nodes.",
  },
  HAL2015: {
    name: "duplicate-block",
    severity: "error",
    template: "Only one {block} block is allowed.",
    help: "Merge the two blocks.",
  },
  HAL2016: {
    name: "duplicate-statement",
    severity: "error",
    template: "{statement} is already set in this block.",
    help: "Keep one of the two statements.",
  },
  HAL2017: {
    name: "unknown-vip",
    severity: "error",
    template: "{text} refers to VIP number {index}, but the cluster has {count}.",
    help: "`vip` is the cluster's first VIP, `vip(N)` the N-th (counting from 1).",
  },
  HAL2018: {
    name: "mode-mismatch",
    severity: "error",
    template: "{frontend} is in `mode {frontendMode}` but routes to {backend}, which is in `mode {backendMode}`.",
    help: "HAProxy refuses to pass traffic between proxies of different modes.",
  },
  HAL2019: {
    name: "no-bind",
    severity: "error",
    template: "{proxy} has no `bind`.",
    help: "A frontend or listen section needs at least one `bind ADDRESS:PORT`.",
  },
  HAL2020: {
    name: "not-allowed-here",
    severity: "error",
    template: "{statement} is not allowed in {where}.",
    help: "See which statements each block accepts in grammar/README.md.",
  },
  HAL2021: {
    name: "priority-order",
    severity: "error",
    template: "The master's priority ({master}) must be higher than every backup's, but {node} has {priority}.",
    help: "Keepalived elects the highest priority; equal priorities are settled by IP address, which nobody means.",
  },
  HAL2022: {
    name: "whole-seconds",
    severity: "error",
    template: "{what} must be a whole number of seconds for Keepalived {target}, got {text}.",
    help: "VRRPv2 adverts and vrrp_script intervals are counted in whole seconds; Keepalived rounds anything else with a warning.",
  },
  HAL2023: {
    name: "duplicate-address",
    severity: "error",
    template: "The address {address} is used twice: by {first} and by {second}.",
    help: "Each node, VIP and server address must be distinct where they share a role.",
  },
  HAL2024: {
    name: "unknown-option",
    severity: "error",
    template: "Unknown option {name}.{suggestion}",
    help: "halb knows the HAProxy options listed in grammar/README.md; pass others through with `raw \"option …\"`.",
  },
  HAL2025: {
    name: "no-effect-in-section",
    severity: "warning",
    template: "{statement} has no effect in a {section}, so it is left out.",
    help: "HAProxy honours some statements only on the client side (frontend) or only on the server side (backend), and ignores them elsewhere with a warning. A listen section is both.",
  },
  HAL2026: {
    name: "unknown-target-version",
    severity: "error",
    template: "halb does not know HAProxy {version}; it knows {known}.",
    help: "Choose one of the supported target versions.",
  },
  HAL2027: {
    name: "mixed-vip-family",
    severity: "error",
    template: "The first VIP decides the VRRP address family (IPv{vipFamily}), but node {node} has the IPv{family} address {address}.",
    help: "Nodes must use the same IP family as the first VIP so their adverts reach each other.",
  },
  HAL2028: {
    name: "invalid-name",
    severity: "error",
    template: "{text} is not a valid name: names match [A-Za-z_][A-Za-z0-9_.-]*.",
    help: "Names of clusters, nodes, frontends, backends and servers start with a letter or `_`.",
  },
  HAL2029: {
    name: "invalid-value",
    severity: "error",
    template: "{what} cannot be {value}: expected {expected}.",
    help: "See the statement's syntax in grammar/README.md.",
  },
  HAL2030: {
    name: "log-format-without-log",
    severity: "warning",
    template: "`option {option}` has no effect in {proxy}: it has no log address, so it is left out.",
    help: "HAProxy ignores a log format (with a warning) where nothing is logged. Add `log global` and a `log ADDRESS FACILITY` line in `global`, or a `log` line in the proxy.",
  },
  HAL2031: {
    name: "auth-needs-ipv4",
    severity: "error",
    template: "VRRP authentication needs an IPv4 first VIP: with {address} Keepalived speaks VRRPv3, which has no authentication.",
    help: "Remove `auth`, or make an IPv4 address the first VIP (IPv6 VIPs after it ride along as excluded addresses).",
  },
  HAL2032: {
    name: "ipv6-vip-label",
    severity: "error",
    template: "The IPv6 VIP {address} cannot have a label: Linux labels only IPv4 addresses.",
    help: "Remove `label` from the IPv6 VIP.",
  },
  HAL2033: {
    name: "unknown-block",
    severity: "error",
    template: "Unknown block {keyword}.{suggestion}",
    help: "The blocks of a spec are `cluster`, `global`, `defaults`, `stats`, `frontend`, `backend` and `listen`.",
  },

  // ── HAL3xxx: the IR does not match its schema (a bug in halb) ─────────────
  HAL3001: {
    name: "ir-schema",
    severity: "error",
    template: "The compiled IR does not match schemas/ir.schema.json at {pointer}: {message}.",
    help: "This is a bug in halb: the compiler produced an IR its own schema refuses. Please report it with the spec.",
  },
  HAL3002: {
    name: "ir-invalid-input",
    severity: "error",
    template: "{file} is not a valid halb IR at {pointer}: {message}.",
    help: "Compile the spec again with this version of halb.",
  },

  // ── HAL4xxx: internal ──────────────────────────────────────────────────────
  HAL4001: {
    name: "internal-error",
    severity: "error",
    template: "Internal error: {message}.",
    help: "This is a bug in halb. Run again with --debug for a stack trace and report it.",
  },

  // ── HAL5xxx: command line and files ────────────────────────────────────────
  HAL5001: {
    name: "cannot-read",
    severity: "error",
    template: "Cannot read {path}: {reason}.",
    help: "Check the path and its permissions.",
  },
  HAL5002: {
    name: "cannot-write",
    severity: "error",
    template: "Cannot write {path}: {reason}.",
    help: "Check that the output folder is writable. Nothing was changed.",
  },
  HAL5003: {
    name: "hand-edited",
    severity: "error",
    template: "{path} was edited since halb wrote it; not overwriting it without --force.",
    help: "Move your change into the spec, or pass --force to overwrite the file.",
  },
  HAL5004: {
    name: "out-of-date",
    severity: "error",
    template: "{path} is not what the spec compiles to.",
    help: "Run `halb compile` without --check to update the output.",
  },
  HAL5005: {
    name: "unknown-node",
    severity: "error",
    template: "There is no node named {name}.{suggestion}",
    help: "Node names come from the cluster block of the spec.",
  },

  // ── HAL6xxx: `halb lint --verify`, the daemons' own checks mapped back to the spec ─────
  HAL6001: {
    name: "haproxy-check",
    severity: "error",
    template: "`haproxy -c` ({node}: haproxy.cfg line {line}): {message}",
    help: "HAProxy itself refused (ALERT) or warned about (WARNING) the line generated from this part of the spec. Messages about users, groups or files this machine lacks are reported as info: the nodes may have them.",
  },
  HAL6002: {
    name: "keepalived-check",
    severity: "error",
    template: "`keepalived -t` ({node}: keepalived.conf line {line}): {message}",
    help: "Keepalived itself refused or warned about the line generated from this part of the spec (`keepalived -t` exits non-zero for warnings too). Messages about interfaces or users this machine lacks are reported as info.",
  },
  HAL6003: {
    name: "daemon-not-installed",
    severity: "info",
    template: "{daemon} is not installed here, so --verify did not run it.",
    help: "Install HAProxy 2.6+ and Keepalived 2.2+ (Debian: `apt-get install haproxy keepalived`) where `halb lint --verify` runs.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type Code = keyof typeof catalog;
