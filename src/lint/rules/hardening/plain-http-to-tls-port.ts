import { allBinds, bindText, ownerTitle } from "../../binds.js";
import { pools, proxyLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { argSpan, rawWords } from "../../statements.js";

/** Ports where clients and servers expect TLS. */
const TLS_PORTS: ReadonlySet<number> = new Set([443, 8443]);

/**
 * halb writes no TLS options: in `mode http` HAProxy speaks plain HTTP on every bind and to every
 * server. On the HTTPS ports that fails at run time: browsers get a TLS handshake error, and an
 * HTTPS server answers HAProxy's plain request with 400 or closes the connection. (`mode tcp`
 * passes TLS through untouched, and is not reported.)
 */
export const plainHttpToTlsPort: SpecRule = {
  meta: {
    id: "HAP035",
    name: "plain-http-to-tls-port",
    category: "haproxy",
    severity: "warning",
    summary: "`mode http` on a TLS port (443, 8443): a server or bind where halb speaks plain HTTP.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const bind of allBinds(spec)) {
      if (bind.mode !== "http" || !TLS_PORTS.has(bind.bind.port)) continue;
      report({
        span: bind.span,
        message: `${ownerTitle(bind.owner)} binds \`${bindText(bind.bind)}\` in \`mode http\`, which halb serves as plain HTTP: browsers opening https:// on port ${bind.bind.port} fail the TLS handshake.`,
        notes: [{ message: "use `mode tcp` to pass TLS through to the servers, or terminate TLS in front of HAProxy and bind a plain-HTTP port here" }],
      });
    }
    for (const pool of pools(spec)) {
      if (pool.ir.mode !== "http" || pool.model.raw.some((line) => rawWords(line.value).includes("ssl"))) continue;
      for (const server of pool.model.servers) {
        if (!TLS_PORTS.has(server.port)) continue;
        report({
          span: argSpan(spec, server.span, 1),
          message: `Server \`${server.name.value}\` in \`mode http\` ${proxyLabel(pool.model)} is on port ${server.port}, but HAProxy sends it plain HTTP: a TLS server answers with an error or closes the connection.`,
          notes: [{ message: "use the server's plain-HTTP port, or `mode tcp` to pass TLS through" }],
        });
      }
    }
  },
};
