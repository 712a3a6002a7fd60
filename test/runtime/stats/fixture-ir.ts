/**
 * A small IR for the statistics tests, listening on 127.0.0.1 only: the stats `listen`, an HTTP
 * frontend routing to an HTTP backend of four servers (checked and up, checked and refused,
 * disabled, an unchecked backup) and a TCP `listen` with one checked server. The real-HAProxy
 * comparison runs it through halb's own emitter, so both sides read the same configuration.
 */
import type { Ir, IrServer, IrStats } from "../../../src/ir/types.js";
import { seedIr } from "../../helpers/sample-ir.js";

export interface FixturePorts {
  readonly stats: number;
  readonly frontend: number;
  readonly tcpListen: number;
  /** Where the health checks of s1 and db1 succeed. */
  readonly healthy: number;
  /** A closed port: s2's checks are refused. */
  readonly closed: number;
}

export const DUMMY_PORTS: FixturePorts = { stats: 18801, frontend: 18802, tcpListen: 18803, healthy: 18804, closed: 18805 };

function server(name: string, port: number, extra: Partial<IrServer> = {}): IrServer {
  return { name, address: "127.0.0.1", family: 4, port, weight: 1, backup: false, disabled: false, check: true, ...extra };
}

export function fixtureIr(ports: FixturePorts = DUMMY_PORTS, stats: Partial<IrStats> = {}): Ir {
  const local = (port: number) => ({ kind: "address", address: "127.0.0.1", family: 4, port }) as const;
  return {
    ...seedIr,
    haproxy: {
      global: { maxconn: 4096, logs: [], daemon: false, raw: [] },
      defaults: { mode: "http", timeouts: { connect: 1000, client: 5000, server: 5000 }, logs: [], options: [], raw: [] },
      stats: {
        name: "stats",
        binds: [local(ports.stats)],
        uri: "/stats",
        auth: [],
        hideVersion: false,
        admin: true,
        logs: [],
        raw: [{ line: "http-request use-service prometheus-exporter if { path /metrics }" }],
        ...stats,
      },
      frontends: [
        {
          name: "www",
          mode: "http",
          maxconn: 500,
          timeouts: {},
          logs: [],
          options: [],
          raw: [],
          binds: [local(ports.frontend)],
          acls: [{ name: "path_api", kind: "path", value: "/api" }],
          routes: [{ acls: ["path_api"], backend: "app" }],
          defaultBackend: "app",
        },
      ],
      listens: [
        {
          name: "db",
          mode: "tcp",
          timeouts: {},
          logs: [],
          options: [],
          raw: [],
          binds: [local(ports.tcpListen)],
          balance: "leastconn",
          health: { kind: "tcp", intervalMs: 100, rise: 2, fall: 3 },
          servers: [server("db1", ports.healthy, { maxconn: 50 })],
        },
      ],
      backends: [
        {
          name: "app",
          mode: "http",
          timeouts: {},
          logs: [],
          options: [],
          raw: [],
          balance: "roundrobin",
          health: { kind: "http", method: "GET", path: "/health", intervalMs: 100, rise: 2, fall: 3 },
          servers: [
            server("s1", ports.healthy, { weight: 3 }),
            server("s2", ports.closed, { weight: 2 }),
            server("s3", ports.healthy, { disabled: true }),
            server("s4", ports.healthy, { backup: true, check: false, weight: 5 }),
          ],
        },
      ],
    },
  };
}
