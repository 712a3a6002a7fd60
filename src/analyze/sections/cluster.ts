/** `cluster NAME { … }`: the VRRP pair, its VIPs and its nodes (becomes every node's keepalived.conf). */
import type { Arg, NodeDecl, Section } from "../../ast/nodes.js";
import { diag, q } from "../../diagnostics/create.js";
import { parseCidr, parseHostPort, parseIp } from "../addresses.js";
import { ArgReader, type AnalyzeContext } from "../args.js";
import { dispatch, statementCounts } from "../dispatch.js";
import type { ModelCluster, ModelNode } from "../model.js";
import { checkName } from "../names.js";

const INTERFACE = /^[A-Za-z0-9_.:@-]{1,15}$/;

export function analyzeCluster(ctx: AnalyzeContext, section: Section): ModelCluster {
  const name = checkName(ctx, section.name, "cluster", section.keywordSpan);
  const cluster: ModelCluster = {
    name,
    span: section.span,
    written: statementCounts(section.body),
    interface: null,
    vips: [],
    vrid: null,
    advertMs: null,
    auth: null,
    preempt: null,
    unicast: null,
    tracks: [],
    notifyEmail: null,
    notifyExec: [],
    scriptsDir: null,
    nodes: [],
  };

  dispatch(
    ctx,
    "`cluster`",
    section.body,
    {
      directives: {
        interface: { once: true, handle: (args) => (cluster.interface = readInterface(ctx, args)) },
        vip: {
          handle: (args, directive) => {
            const cidr = args.word("an address with its prefix, such as `192.168.66.10/24`");
            if (!cidr) return;
            const parsed = parseCidr(cidr.value);
            if (!parsed) return void ctx.diagnostics.push(diag("HAL2013", cidr.span, { text: q(cidr.value), expected: "VIP (ADDRESS/PREFIX)" }));
            let dev: string | undefined;
            let label: string | undefined;
            while (!args.done) {
              const option = args.oneOf(["dev", "label"] as const);
              if (!option) return;
              if (option.value === "dev") dev = readInterface(ctx, args)?.value;
              else label = args.text("a label such as `eth0:vip`")?.value;
            }
            cluster.vips.push({ ...parsed, ...(dev ? { dev } : {}), ...(label ? { label } : {}), span: directive.span });
          },
        },
        vrid: {
          once: true,
          handle: (args, directive) => {
            const value = args.integer("the virtual router id", 1, 255);
            args.end();
            if (value !== undefined) cluster.vrid = { value, span: directive.args[0]!.span };
          },
        },
        advert: {
          once: true,
          handle: (args, directive) => {
            const ms = args.duration("the advert interval");
            args.end();
            if (ms === undefined) return;
            const span = directive.args[0]!.span;
            if (ms % 1000 !== 0) return void ctx.diagnostics.push(diag("HAL2022", span, { what: "The advert interval", target: "2.2 (VRRPv2)", text: q(directive.args[0]!.text) }));
            if (ms > 255_000) return void ctx.diagnostics.push(diag("HAL2005", span, { what: "The advert interval", range: "between 1s and 255s", value: directive.args[0]!.text }));
            cluster.advertMs = { value: ms, span };
          },
        },
        auth: {
          once: true,
          handle: (args) => {
            if (!args.oneOf(["pass"] as const, "`pass` (VRRP PASS authentication)")) return;
            const secret = args.secret("the password, e.g. `env(VRRP_PASS)`");
            args.end();
            if (!secret) return;
            // The length is checked on the resolved value, but the message never shows it.
            if (secret.resolved !== null && (secret.resolved.length < 1 || secret.resolved.length > 8)) {
              ctx.diagnostics.push(diag("HAL2006", secret.span, { length: secret.resolved.length }));
              return;
            }
            // keepalived.conf has no way to write a double quote, and a control character would break the line.
            if (secret.resolved !== null && /["\u0000-\u001f\u007f]/.test(secret.resolved)) {
              ctx.diagnostics.push(diag("HAL2029", secret.span, { what: "The VRRP password", value: "a value with a double quote or a control character", expected: "printable characters other than `\"`" }));
              return;
            }
            cluster.auth = { value: secret.value, span: secret.span };
          },
        },
        preempt: {
          once: true,
          handle: (args, directive) => {
            const mode = args.oneOf(["on", "off", "delay"] as const);
            if (!mode) return;
            if (mode.value === "delay") {
              const delayMs = args.duration("the preempt delay", 0);
              args.end();
              if (delayMs === undefined) return;
              if (delayMs % 1000 !== 0 || delayMs > 1_000_000) {
                const text = q(directive.args[1]?.text ?? "");
                ctx.diagnostics.push(
                  delayMs > 1_000_000
                    ? diag("HAL2005", args.lastSpan(), { what: "The preempt delay", range: "between 0s and 1000s", value: text })
                    : diag("HAL2022", args.lastSpan(), { what: "The preempt delay", target: "2.2", text }),
                );
                return;
              }
              cluster.preempt = { value: { mode: "delay", delayMs }, span: directive.span };
            } else {
              args.end();
              cluster.preempt = { value: { mode: mode.value }, span: directive.span };
            }
          },
        },
        unicast: {
          once: true,
          handle: (args, directive) => {
            args.end();
            cluster.unicast = { value: true, span: directive.span };
          },
        },
        track: { handle: (args, directive) => readTrack(ctx, cluster, args, directive.span) },
        notify: { handle: (args, directive) => readNotify(ctx, cluster, args, directive.span) },
        scripts: {
          once: true,
          handle: (args) => {
            const dir = args.text("the folder the node's scripts are installed in, e.g. `/etc/keepalived`");
            args.end();
            if (!dir) return;
            if (!dir.value.startsWith("/") || /\s|"/.test(dir.value)) {
              ctx.diagnostics.push(diag("HAL2029", dir.span, { what: "The scripts folder", value: q(dir.value), expected: "an absolute path without spaces or quotes" }));
              return;
            }
            cluster.scriptsDir = { value: dir.value.replace(/\/+$/, "") || "/", span: dir.span };
          },
        },
      },
      node: (node) => {
        const parsed = readNode(ctx, node);
        if (parsed) cluster.nodes.push(parsed);
      },
    },
    null,
  );
  return cluster;
}

function readInterface(ctx: AnalyzeContext, args: ArgReader): { value: string; span: ReturnType<ArgReader["lastSpan"]> } | null {
  const name = args.text("an interface name such as `eth0`");
  if (!name) return null;
  if (!INTERFACE.test(name.value)) {
    ctx.diagnostics.push(diag("HAL2029", name.span, { what: "An interface name", value: q(name.value), expected: "at most 15 letters, digits or `_.:@-`" }));
    return null;
  }
  return name;
}

/** `track haproxy [every D] [fall N] [rise N] [weight N] [timeout D]`. */
function readTrack(ctx: AnalyzeContext, cluster: ModelCluster, args: ArgReader, span: ModelCluster["span"]): void {
  if (!args.oneOf(["haproxy"] as const, "`haproxy` (the process to track)")) return;
  // Keepalived's own defaults: a check every second, one failure to fail, one success to recover.
  let intervalMs = 1000;
  let timeoutMs: number | null = null;
  let fall = 1;
  let rise = 1;
  let weight: number | null = null;
  while (!args.done) {
    const key = args.oneOf(["every", "fall", "rise", "weight", "timeout"] as const);
    if (!key) return;
    if (key.value === "every" || key.value === "timeout") {
      const written = args.peek();
      const ms = args.duration(key.value === "every" ? "the check interval" : "the check timeout");
      if (ms === undefined) return;
      if (ms % 1000 !== 0) {
        ctx.diagnostics.push(diag("HAL2022", args.lastSpan(), { what: `The vrrp_script ${key.value === "every" ? "interval" : "timeout"}`, target: "2.2", text: q(written?.text ?? `${ms}ms`) }));
        return;
      }
      if (key.value === "every") intervalMs = ms;
      else timeoutMs = ms;
    } else if (key.value === "weight") {
      const value = args.integer("the weight", -253, 253);
      if (value === undefined) return;
      weight = value;
    } else {
      const value = args.integer(key.value === "fall" ? "the number of failures" : "the number of successes", 1, 1000);
      if (value === undefined) return;
      if (key.value === "fall") fall = value;
      else rise = value;
    }
  }
  cluster.tracks.push({ target: "haproxy", intervalMs, timeoutMs, fall, rise, weight, span });
}

/** `notify email TO… from FROM via HOST[:PORT]` | `notify exec "COMMAND"`. */
function readNotify(ctx: AnalyzeContext, cluster: ModelCluster, args: ArgReader, span: ModelCluster["span"]): void {
  const kind = args.oneOf(["email", "exec"] as const);
  if (!kind) return;
  if (kind.value === "exec") {
    const command = args.text("the command to run, in quotes");
    args.end();
    if (!command) return;
    if (command.value.trim() === "" || /[\n\0]/.test(command.value)) {
      ctx.diagnostics.push(diag("HAL2029", command.span, { what: "A notify command", value: q(command.value), expected: "a command on one line" }));
      return;
    }
    cluster.notifyExec.push({ value: command.value, span: command.span });
    return;
  }
  if (cluster.notifyEmail) return void ctx.diagnostics.push(diag("HAL2016", span, { statement: "`notify email`" }));
  const to: string[] = [];
  while (!args.done && args.peekWord() !== "from" && args.peekWord() !== "via") {
    const address = args.text("an e-mail address");
    if (!address) return;
    if (!isEmail(address.value)) return void ctx.diagnostics.push(diag("HAL2029", address.span, { what: "A recipient", value: q(address.value), expected: "an e-mail address" }));
    to.push(address.value);
  }
  if (to.length === 0) return void args.text("an e-mail address to notify");
  let from: string | null = null;
  let smtp: { host: string; port: number } | null = null;
  while (!args.done) {
    const key = args.oneOf(["from", "via"] as const);
    if (!key) return;
    if (key.value === "from") {
      const address = args.text("the sender's e-mail address");
      if (!address) return;
      if (!isEmail(address.value)) return void ctx.diagnostics.push(diag("HAL2029", address.span, { what: "The sender", value: q(address.value), expected: "an e-mail address" }));
      from = address.value;
    } else {
      const server = args.word("the SMTP server, such as `127.0.0.1:25`");
      if (!server) return;
      smtp = readSmtp(server.value);
      if (!smtp) return void ctx.diagnostics.push(diag("HAL2013", server.span, { text: q(server.value), expected: "SMTP server: an IP address with an optional port, such as `127.0.0.1:25` (Keepalived refuses host names it cannot resolve at start-up)" }));
    }
  }
  if (!smtp) return void args.text("`via` and the SMTP server");
  cluster.notifyEmail = { to, from: from ?? `keepalived@${cluster.name.value}`, smtp, span };
}

/** An IP address: Keepalived resolves a host name when it starts and refuses the whole file if that fails. */
function readSmtp(text: string): { host: string; port: number } | null {
  const hostPort = parseHostPort(text);
  return hostPort ? { host: hostPort.address, port: hostPort.port ?? 25 } : null;
}

function isEmail(text: string): boolean {
  return /^[^\s@"]+@[^\s@"]+$/.test(text);
}

/** `node NAME ADDRESS master|backup [priority N] [{ interface X; priority N }]`. */
function readNode(ctx: AnalyzeContext, decl: NodeDecl): ModelNode | null {
  const args = new ArgReader(ctx, "node", decl.args, decl.span);
  const nameArg: Arg | undefined = decl.args[0];
  const name = checkName(ctx, nameArg ?? null, "node", decl.keywordSpan);
  args.next();
  const address = args.word("the node's own address, such as `192.168.66.11`");
  if (!address) return null;
  const ip = parseIp(address.value);
  if (!ip) {
    ctx.diagnostics.push(diag("HAL2013", address.span, { text: q(address.value), expected: "node address (an IP address)" }));
    return null;
  }
  const node: ModelNode = { name, address: { value: ip.address, span: address.span }, family: ip.family, role: null, priority: null, interface: null, span: decl.span };
  let role: ModelNode["role"] = null;
  while (!args.done) {
    const key = args.oneOf(["master", "backup", "priority"] as const);
    if (!key) return null;
    if (key.value === "priority") {
      const value = args.integer("the priority", 1, 254);
      if (value === undefined) return null;
      node.priority = { value, span: args.lastSpan() };
    } else if (role) {
      ctx.diagnostics.push(diag("HAL2016", key.span, { statement: "The node's role" }));
    } else role = { value: key.value, span: key.span };
  }
  if (!role) ctx.diagnostics.push(diag("HAL2010", decl.span, { statement: q(`node ${name.value}`), expected: "a role: `master` or `backup`" }));
  if (decl.body) {
    dispatch(
      ctx,
      `the overrides of node ${q(name.value)}`,
      decl.body,
      {
        directives: {
          interface: { once: true, handle: (a) => (node.interface = readInterface(ctx, a)) },
          priority: {
            once: true,
            handle: (a, directive) => {
              const value = a.integer("the priority", 1, 254);
              a.end();
              if (value !== undefined) node.priority = { value, span: directive.args[0]!.span };
            },
          },
        },
      },
      null,
    );
  }
  return { ...node, role };
}
