/**
 * The origin servers of `npm run bench:run` (bench/run.mjs): one HAProxy process, not Node, so that
 * the backends are never the slow part and never share the event loop or the JIT of a proxy under
 * test. Each server is a frontend on 127.0.0.1 that answers every request itself with
 * `200 text/plain "hello world"` and says which server it is in an `x-server` header (the harness
 * uses it to check that a proxy round-robins over both).
 */
import { availableParallelism } from "node:os";

/**
 * The backend.cfg text for servers on the given loopback ports: server `s1` on ports[0], `s2` on
 * ports[1], and so on.
 * @param {number[]} ports
 * @returns {string}
 */
export function backendConfig(ports) {
  const servers = ports.map(
    (port, i) => `frontend s${i + 1}
    bind 127.0.0.1:${port}
    http-request return status 200 content-type text/plain string "hello world" hdr x-server s${i + 1}
`,
  );
  return `# origin servers for bench/run.mjs (generated)
global
    # One thread: the box has few cores and the proxy under test and wrk need them more; a single
    # HAProxy thread answers a static 200 far faster than any proxy in front of it can forward.
    nbthread 1
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s

${servers.join("\n")}`;
}

/**
 * The .hal spec the proxies under test are compiled from: one frontend on 127.0.0.1:frontPort that
 * sends everything to a round-robin pool of the servers above. Loopback only, so the cluster block
 * (which the language requires) names loopback addresses: `halb compile` accepts that, `halb lint`
 * rightly objects (KA009, KA010), and nothing here starts Keepalived. The spec stays free of
 * `user`, `group`, `chroot`, `pidfile` and `socket` so that the compiled haproxy.cfg runs
 * unprivileged, unedited.
 * @param {number} frontPort
 * @param {number[]} serverPorts
 * @param {number} threads `threads` for both tools: every core, HAProxy's own default
 * @returns {string}
 */
export function benchSpec(frontPort, serverPorts, threads = availableParallelism()) {
  const servers = serverPorts.map((port, i) => `  server s${i + 1} 127.0.0.1:${port}`).join("\n");
  return `# bench/run.mjs: one frontend, one round-robin pool of ${serverPorts.length} servers (generated)
cluster bench {
  interface lo
  vip 127.0.0.100/8
  vrid 51
  node lb1 127.0.0.1 master
}

global {
  maxconn 4096
  threads ${threads}
}

defaults {
  mode http
  retries 3
  timeout connect 5s client 30s server 30s
}

frontend web {
  bind 127.0.0.1:${frontPort}
  default -> pool
}

backend pool {
  balance roundrobin
${servers}
}
`;
}

/** The node the spec above compiles for (its `OUT/<node>/haproxy.cfg`, `halb run --node`). */
export const BENCH_NODE = "lb1";
