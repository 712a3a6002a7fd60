import { effectiveTimeout, formatMs, proxies, sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";

/**
 * `timeout http-request` bounds the time a client may take to send its whole request headers.
 * Without it only `timeout client` applies, between each chunk of the request: a client trickling
 * a few bytes at a time (slowloris) holds its connection, and a `maxconn` slot, for as long as it likes.
 */
export const noHttpRequestTimeout: SpecRule = {
  meta: {
    id: "HAP016",
    name: "no-http-request-timeout",
    category: "haproxy",
    severity: "info",
    summary: "An HTTP frontend or listen section without `timeout http-request` (its own or from `defaults`).",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const proxy of proxies(spec)) {
      if (proxy.kind === "backend" || proxy.ir.mode !== "http") continue;
      if (effectiveTimeout(spec, proxy.ir, "http-request") !== undefined) continue;
      const client = effectiveTimeout(spec, proxy.ir, "client");
      report({
        span: proxy.model.name.span,
        message: `${sentenceLabel(proxy.model)} has no \`timeout http-request\`: only \`timeout client\`${client === undefined ? "" : ` (${formatMs(client)})`} limits the pauses while a client sends its headers, so a client sending them a few bytes at a time holds a connection open indefinitely.`,
        notes: [{ message: "set `timeout http-request 10s` (or less) in `defaults`" }],
      });
    }
  },
};
