#!/usr/bin/env node
/**
 * The node-http-proxy row of `npm run bench:run` (bench/run.mjs): the anchor the issue names, set up
 * the way its README does it, plus a keep-alive agent (without one every request opens a new
 * connection to the backend, which is not how anyone runs it behind load).
 *
 *   node bench/node-http-proxy.mjs LISTEN_PORT BACKEND_PORT...
 *
 * Listens on 127.0.0.1:LISTEN_PORT and round-robins requests over 127.0.0.1:BACKEND_PORT...; a backend
 * that fails answers 502. Stops on SIGTERM/SIGINT.
 */
import http from "node:http";
import httpProxy from "http-proxy";

const [listenPort, ...backendPorts] = process.argv.slice(2).map(Number);
if (!listenPort || backendPorts.length === 0 || backendPorts.some((p) => !p)) {
  console.error("usage: node bench/node-http-proxy.mjs LISTEN_PORT BACKEND_PORT...");
  process.exit(2);
}

const targets = backendPorts.map((port) => `http://127.0.0.1:${port}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const proxy = httpProxy.createProxyServer({ agent });
proxy.on("error", (_err, _req, res) => {
  // `res` is a ServerResponse for HTTP requests (a socket only for WebSocket upgrades, unused here).
  if (res instanceof http.ServerResponse && !res.headersSent) {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end("bad gateway\n");
  } else {
    res.destroy();
  }
});

let next = 0;
const server = http.createServer((req, res) => {
  const target = targets[next];
  next = (next + 1) % targets.length;
  proxy.web(req, res, { target });
});
// The harness's connections stay busy; keep idle ones as long as HAProxy's `timeout client` would.
server.keepAliveTimeout = 30_000;
server.listen(listenPort, "127.0.0.1");

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    agent.destroy();
    process.exit(0);
  });
}
