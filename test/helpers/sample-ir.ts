/**
 * Hand-built IRs. `seedIr` is what the seed spec (§10 of hal-language.md) must compile to, with
 * VRRP_PASS and STATS_PASS taken from the environment; the variants change one thing each.
 * Choices the lowering makes that the spec leaves open, assumed here: scriptsDir
 * `/etc/keepalived/halb`, the track's vrrp_script is named after its target (`haproxy`) and its
 * timeout equals its interval, `daemon` is off (systemd runs HAProxy in the foreground), server
 * cookies are the server names, the stats section is `listen stats`.
 */
import type {
  Ir,
  IrBackend,
  IrCluster,
  IrFrontend,
  IrHaproxy,
  IrListen,
  IrNode,
  IrServer,
  IrStats,
  IrVip,
} from "../../src/ir/types.js";

export const SEED_SECRETS: ReadonlyMap<string, string> = new Map([
  ["VRRP_PASS", "vrrp-pw1"],
  ["STATS_PASS", "st@ts pa$$ \"w\" #1"],
]);

const seedNodes: readonly IrNode[] = [
  { name: "haproxy-server", address: "192.168.66.11", family: 4, role: "master", priority: 100, interface: "eth0", initialState: "MASTER" },
  { name: "backup-haproxy", address: "192.168.66.12", family: 4, role: "backup", priority: 90, interface: "eth0", initialState: "BACKUP" },
];

const seedCluster: IrCluster = {
  name: "zb",
  interface: "eth0",
  vips: [{ address: "192.168.66.10", prefix: 24, family: 4 }],
  vrrp: { vrid: 51, advertIntMs: 1000, auth: { env: "VRRP_PASS" }, preempt: { mode: "on" }, transport: "multicast" },
  tracks: [{ target: "haproxy", script: "haproxy", intervalMs: 2000, timeoutMs: 2000, fall: 2, rise: 2, weight: null }],
  notify: {
    email: { to: ["admin@zb.com"], from: "keepalived@zb.com", smtp: { host: "127.0.0.1", port: 25 } },
    exec: [],
  },
  scriptsDir: "/etc/keepalived/halb",
  nodes: seedNodes,
};

function server(name: string, address: string, port: number, extra: Partial<IrServer> = {}): IrServer {
  return { name, address, family: 4, port, weight: 1, backup: false, disabled: false, check: true, ...extra };
}

function seedBackend(name: string, serverName: string, address: string, cookie: boolean): IrBackend {
  return {
    name,
    mode: "http",
    timeouts: {},
    logs: [],
    options: ["redispatch", "abortonclose"],
    raw: [],
    balance: "roundrobin",
    ...(cookie ? { cookie: { name: "SERVERID", method: "insert", indirect: true, nocache: true, httponly: false, secure: false } } : {}),
    health: { kind: "http", method: "GET", path: "/index.html", intervalMs: 2000, rise: 2, fall: 3 },
    servers: [server(serverName, address, 80, { weight: 6, ...(cookie ? { cookie: serverName } : {}) })],
  };
}

const seedStats: IrStats = {
  name: "stats",
  binds: [{ kind: "address", address: "0.0.0.0", family: 4, port: 19088 }],
  uri: "/haproxy-status",
  realm: "welcome login Haproxy",
  auth: [{ user: "admin", password: { env: "STATS_PASS" } }],
  refreshMs: 30000,
  hideVersion: true,
  admin: true,
  logs: [{ address: "127.0.0.1", facility: "local0", level: "err" }],
  raw: [],
};

const seedFrontend: IrFrontend = {
  name: "www",
  mode: "http",
  timeouts: {},
  logs: [{ global: true }],
  options: ["httplog", "forwardfor"],
  raw: [],
  binds: [{ kind: "vip", vip: 0, address: "192.168.66.10", family: 4, port: 80 }],
  acls: [
    { name: "host_www_zb_com", kind: "host", value: "www.zb.com" },
    { name: "host_static_zb_com", kind: "host", value: "static.zb.com" },
    { name: "host_video_zb_com", kind: "host", value: "video.zb.com" },
  ],
  routes: [
    { acls: ["host_www_zb_com"], backend: "server_www" },
    { acls: ["host_static_zb_com"], backend: "server_static" },
    { acls: ["host_video_zb_com"], backend: "server_video" },
  ],
};

const seedHaproxy: IrHaproxy = {
  global: {
    maxconn: 4096,
    logs: [{ address: "127.0.0.1", facility: "local0", level: "info" }],
    user: "nobody",
    group: "nobody",
    pidfile: "/usr/local/haproxy/logs/haproxy.pid",
    daemon: false,
    raw: [],
  },
  defaults: {
    mode: "http",
    retries: 3,
    timeouts: { connect: 5000, client: 30000, server: 30000, check: 2000 },
    logs: [],
    options: [],
    raw: [],
  },
  stats: seedStats,
  frontends: [seedFrontend],
  backends: [
    seedBackend("server_www", "webapp1", "192.168.66.20", true),
    seedBackend("server_static", "webapp2", "192.168.66.21", false),
    seedBackend("server_video", "webapp3", "192.168.66.22", false),
  ],
  listens: [],
};

export const seedIr: Ir = {
  irVersion: 1,
  source: "zb.hal",
  target: { haproxy: "2.6", keepalived: "2.2" },
  cluster: seedCluster,
  haproxy: seedHaproxy,
  sourceMap: {},
};

// ── Variants ─────────────────────────────────────────────────────────────────

function withCluster(ir: Ir, cluster: Partial<IrCluster>): Ir {
  return { ...ir, cluster: { ...ir.cluster, ...cluster } };
}

function withHaproxy(ir: Ir, haproxy: Partial<IrHaproxy>): Ir {
  return { ...ir, haproxy: { ...ir.haproxy, ...haproxy } };
}

/** The seed with a group that exists on Debian/Ubuntu hosts: `haproxy -c` checks that user and group exist. */
export function withHostAccounts(ir: Ir): Ir {
  return withHaproxy(ir, { global: { ...ir.haproxy.global, user: "nobody", group: "nogroup" } });
}

/** Unicast adverts between three nodes. */
export const unicastIr: Ir = withCluster(seedIr, {
  vrrp: { ...seedCluster.vrrp, transport: "unicast" },
  nodes: [
    ...seedNodes,
    { name: "third", address: "192.168.66.13", family: 4, role: "backup", priority: 80, interface: "eth1", initialState: "BACKUP" },
  ],
});

const mysqlListen: IrListen = {
  name: "mysql",
  mode: "tcp",
  timeouts: {},
  logs: [],
  options: [],
  raw: [],
  binds: [{ kind: "vip", vip: 0, address: "192.168.66.10", family: 4, port: 3306 }],
  balance: "leastconn",
  health: { kind: "tcp", intervalMs: 2000, rise: 2, fall: 3 },
  servers: [
    server("db1", "192.168.66.30", 3306, { maxconn: 200 }),
    server("db2", "192.168.66.31", 3306, { backup: true }),
    server("db3", "192.168.66.32", 3306, { disabled: true, check: false }),
  ],
};

/** A TCP listen section next to the seed's HTTP services. */
export const tcpListenIr: Ir = withHaproxy(seedIr, { listens: [mysqlListen] });

const v6Vip: IrVip = { address: "2001:db8::10", prefix: 64, family: 6, dev: "eth1", label: "eth1:v6" };

/** Two VIPs, the second IPv6 on its own interface; the frontend binds both, a backend server is IPv6. */
export const twoVipsIr: Ir = {
  ...withCluster(seedIr, { vips: [{ address: "192.168.66.10", prefix: 24, family: 4, label: "eth0:vip" }, v6Vip] }),
  haproxy: {
    ...seedHaproxy,
    frontends: [
      {
        ...seedFrontend,
        binds: [
          { kind: "vip", vip: 0, address: "192.168.66.10", family: 4, port: 80 },
          { kind: "vip", vip: 1, address: "2001:db8::10", family: 6, port: 80 },
        ],
      },
    ],
    backends: seedHaproxy.backends.map((b, i) =>
      i === 0 ? { ...b, servers: [...b.servers, server("webapp6", "2001:db8::20", 80, { family: 6, cookie: "webapp6" })] } : b,
    ),
  },
};

/** Only an IPv6 VIP: the VRRP instance itself is IPv6 (VRRPv3), which has no authentication (nor VIP labels). */
export const ipv6OnlyIr: Ir = withCluster(seedIr, {
  vips: [{ address: "2001:db8::10", prefix: 64, family: 6, label: "eth0:v6" }],
});

const allBackup = seedNodes.map((n) => ({ ...n, initialState: "BACKUP" as const }));

/** `preempt off`. */
export const nopreemptIr: Ir = withCluster(seedIr, { vrrp: { ...seedCluster.vrrp, preempt: { mode: "off" } }, nodes: allBackup });

/** `preempt delay 30s`. */
export const preemptDelayIr: Ir = withCluster(seedIr, {
  vrrp: { ...seedCluster.vrrp, preempt: { mode: "delay", delayMs: 30000 } },
  nodes: allBackup,
});

/** `track haproxy … weight -20`. */
export const weightIr: Ir = withCluster(seedIr, {
  tracks: [{ target: "haproxy", script: "haproxy", intervalMs: 1000, timeoutMs: 2000, fall: 1, rise: 2, weight: -20 }],
});

/** `notify exec` with two commands (one with arguments and quotes), no email. */
export const notifyExecIr: Ir = withCluster(seedIr, {
  notify: { email: null, exec: ["/usr/local/bin/page-oncall", "logger -t 'zb vip' it's"] },
});

/** Secrets written in the spec itself, a per-node stats page, a fuller global, no pidfile, no auth-less stats. */
export const literalSecretsIr: Ir = {
  ...withCluster(seedIr, { vrrp: { ...seedCluster.vrrp, auth: { value: "a b#c!\\" } } }),
  haproxy: {
    ...seedHaproxy,
    global: {
      maxconn: 4096,
      logs: [{ address: "/dev/log", facility: "local0" }],
      user: "nobody",
      group: "nogroup",
      nbthread: 2,
      chroot: "/var/lib/haproxy",
      daemon: true,
      statsSocket: { path: "/run/haproxy/admin.sock", level: "admin" },
      raw: [{ line: "tune.bufsize 32768" }],
    },
    stats: {
      ...seedStats,
      binds: [{ kind: "node", port: 19088 }],
      auth: [
        { user: "admin", password: { value: "p\"a$s\\w #" } },
        { user: "ops", password: { env: "OPS_PASS" } },
      ],
    },
  },
};

export const LITERAL_SECRETS: ReadonlyMap<string, string> = new Map([["OPS_PASS", "ops`pw$"]]);

/** Every IR above, by name, for tests that run over all of them. */
export const allSampleIrs: Readonly<Record<string, Ir>> = {
  seed: seedIr,
  unicast: unicastIr,
  tcpListen: tcpListenIr,
  twoVips: twoVipsIr,
  ipv6Only: ipv6OnlyIr,
  nopreempt: nopreemptIr,
  preemptDelay: preemptDelayIr,
  weight: weightIr,
  notifyExec: notifyExecIr,
  literalSecrets: literalSecretsIr,
};

/** The secrets every sample needs. */
export const ALL_SECRETS: ReadonlyMap<string, string> = new Map([...SEED_SECRETS, ...LITERAL_SECRETS]);
