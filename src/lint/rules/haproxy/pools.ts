/** Words and spans several pool rules share. */
import type { ModelServer } from "../../../analyze/model.js";
import { joinSpans, type Span } from "../../../diagnostics/span.js";
import type { LintedSpec } from "../../linted-spec.js";
import { directivesIn, sectionAt, type PoolPair, type ProxyPair } from "../../queries.js";

/** `backend \`api\``, `listen \`mysql\``, `frontend \`www\``. */
export function proxyLabel(proxy: ProxyPair): string {
  return `${proxy.kind} \`${proxy.model.name.value}\``;
}

/** `Backend \`api\``: the label opening a sentence. */
export function sentenceLabel(proxy: ProxyPair): string {
  return capitalised(proxyLabel(proxy));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What HAProxy does with traffic nobody can serve, in this proxy's mode. */
export function refusal(proxy: ProxyPair): string {
  return proxy.ir.mode === "http" ? "every request gets a 503" : "every connection is closed at once";
}

/** Servers that take traffic by load balancing: not `disabled`, weight above 0. */
export function usableServers(pool: PoolPair): ModelServer[] {
  return pool.model.servers.filter((s) => !s.disabled && s.weight > 0);
}

/** The span of `WORD NEXT` (e.g. `check off`) in a server's statement, else the whole statement. */
export function serverWordsSpan(spec: LintedSpec, pool: PoolPair, server: ModelServer, word: string): Span {
  const statement = directivesIn(sectionAt(spec, pool.model.span), "server").find((d) => d.span.start.offset === server.span.start.offset);
  const args = statement?.args ?? [];
  const at = args.findIndex((a) => a.kind === "word" && a.text === word);
  if (at < 0) return server.span;
  const next = args[at + 1];
  return next ? joinSpans(args[at]!.span, next.span) : args[at]!.span;
}
