import type { Located } from "../../../analyze/model.js";
import type { LintedSpec } from "../../linted-spec.js";
import { formatMs, proxies, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { wordValueSpan } from "../../statements.js";
import { inheritors, statsInherits } from "./timeouts.js";

interface Options {
  readonly maxClientMs: number;
  readonly maxServerMs: number;
  readonly maxConnectMs: number;
  readonly maxHttpRequestMs: number;
}

type CheckedKind = "client" | "server" | "connect" | "http-request";

const LIMITS: Readonly<Record<CheckedKind, { option: keyof Options; effect: string }>> = {
  client: { option: "maxClientMs", effect: "an idle or stalled client keeps its connection, and a `maxconn` slot, that long" },
  server: { option: "maxServerMs", effect: "a request to a hung server waits that long before the client gets a 504" },
  connect: { option: "maxConnectMs", effect: "a connection attempt to a dead server waits that long before HAProxy retries or gives up" },
  "http-request": { option: "maxHttpRequestMs", effect: "a client may take that long to send its headers (slowloris)" },
};

/**
 * Very long timeouts turn slow or dead peers into piles of held connections and requests that hang
 * for minutes instead of failing fast. Long-lived connections (WebSocket, database sessions) are
 * what `timeout tunnel` is for, which this rule leaves alone.
 */
export const timeoutOutOfRange: SpecRule<Options> = {
  meta: {
    id: "HAP017",
    name: "timeout-out-of-range",
    category: "haproxy",
    severity: "info",
    summary: "A `timeout client`, `server`, `connect` or `http-request` longer than its bound (300s, 300s, 30s, 30s by default).",
    options: {
      schema: {
        type: "object",
        properties: {
          maxClientMs: { type: "integer", minimum: 1, description: "Longest acceptable `timeout client`, in milliseconds." },
          maxServerMs: { type: "integer", minimum: 1, description: "Longest acceptable `timeout server`, in milliseconds." },
          maxConnectMs: { type: "integer", minimum: 1, description: "Longest acceptable `timeout connect`, in milliseconds." },
          maxHttpRequestMs: { type: "integer", minimum: 1, description: "Longest acceptable `timeout http-request`, in milliseconds." },
        },
        additionalProperties: false,
      },
      defaults: { maxClientMs: 300_000, maxServerMs: 300_000, maxConnectMs: 30_000, maxHttpRequestMs: 30_000 },
    },
  },
  scope: "spec",
  check({ spec, report, options }) {
    for (const { kind, timeout, where } of writtenTimeouts(spec)) {
      const { option, effect } = LIMITS[kind];
      const max = options[option];
      if (timeout.value <= max) continue;
      report({
        span: wordValueSpan(spec, timeout.span),
        message: `\`timeout ${kind} ${formatMs(timeout.value)}\` in ${where} is longer than ${formatMs(max)}: ${effect}.`,
        notes: [
          {
            message:
              kind === "client" || kind === "server"
                ? `lower it; for long-lived connections (WebSocket, database sessions) set \`timeout tunnel\` instead, or raise \`${option}\` if the service needs it`
                : `lower it, or raise \`${option}\` if the service needs it`,
          },
        ],
      });
    }
  },
};

/** Every checked timeout the spec writes and that is in force somewhere (a `defaults` value every proxy overrides is not). */
function writtenTimeouts(spec: LintedSpec): { kind: CheckedKind; timeout: Located<number>; where: string }[] {
  const kinds = Object.keys(LIMITS) as CheckedKind[];
  const found: { kind: CheckedKind; timeout: Located<number>; where: string }[] = [];
  for (const kind of kinds) {
    const inDefaults = spec.model.defaults.timeouts[kind];
    if (inDefaults && (inheritors(spec, kind).length > 0 || statsInherits(spec, kind))) found.push({ kind, timeout: inDefaults, where: "`defaults`" });
  }
  for (const proxy of proxies(spec)) {
    for (const kind of kinds) {
      const own = proxy.model.timeouts[kind];
      if (own) found.push({ kind, timeout: own, where: proxyLabel(proxy.model) });
    }
  }
  return found;
}
