/**
 * A large spec for benchmarks: BACKENDS backends of SERVERS servers each, one frontend routing a host
 * to each backend. Addresses are documentation-only (compile and lint never send traffic).
 */
export function bigSpec(backends = 2000, servers = 10) {
  const parts = [
    `cluster big {
  interface eth0
  vip 192.168.66.10/24
  vrid 51
  track haproxy every 2s fall 2 rise 2
  node lb1 192.168.66.11 master
  node lb2 192.168.66.12 backup
}`,
    `global {
  maxconn 100000
  log 127.0.0.1 local0 info
  pidfile /run/haproxy.pid
}`,
    `defaults {
  mode http
  timeout connect 5s client 30s server 30s
}`,
  ];
  const routes = [];
  for (let b = 0; b < backends; b++) routes.push(`  route host s${b}.example.com -> be${b}`);
  parts.push(`frontend www {\n  bind vip:80\n${routes.join("\n")}\n  default -> be0\n}`);
  for (let b = 0; b < backends; b++) {
    const lines = [];
    for (let s = 0; s < servers; s++) lines.push(`  server s${s} 10.${(b >> 8) & 255}.${b & 255}.${s + 1}:80 weight ${1 + (s % 5)}`);
    parts.push(`backend be${b} {\n  balance roundrobin\n  health http GET /health every 2s rise 2 fall 3\n${lines.join("\n")}\n}`);
  }
  return `${parts.join("\n\n")}\n`;
}
