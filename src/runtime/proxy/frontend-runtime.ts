/**
 * A frontend (or the listening side of a `listen`, or the stats page) at run time: its settings
 * and counters, how it routes, and whether and how it logs. Like HAProxy, a proxy logs only when
 * it has a log target (`log global` with global targets, or its own); halb run writes the lines
 * to standard output, in httplog / tcplog text or as JSON (`--log-format json`).
 */
import type { Socket } from "node:net";
import type { IrDefaults, IrFrontend, IrGlobal, IrListen, IrLog } from "../../ir/types.js";
import type { RequestHead } from "../http/wire-parser.js";
import { formatHttpLog, formatHttpLogJson, formatTcpLog, formatTcpLogJson, type HttpLogRecord, type TcpLogRecord } from "../log/index.js";
import { requestPath, RouteTable } from "../routing/route-table.js";
import type { FrontendCounters, StatsFrontend } from "../stats/index.js";
import type { BackendRuntime } from "./backend-runtime.js";
import type { ProcessState } from "./process-state.js";
import type { ProxySettings } from "./settings.js";

/** Where a frontend sends requests: by its routes, always to its own backend (listen), or nowhere (stats). */
export type FrontendRouting =
  | { readonly kind: "routes"; readonly table: RouteTable; readonly backends: ReadonlyMap<string, BackendRuntime> }
  | { readonly kind: "own"; readonly backend: BackendRuntime }
  | { readonly kind: "none" };

export class FrontendRuntime {
  readonly counters: FrontendCounters;
  /** Session limit: the proxy's maxconn, else the defaults', else the process's. */
  readonly maxconn: number;
  /** This configuration is being replaced or stopped: finish current requests, keep no connection alive. */
  stopping = false;

  constructor(
    readonly settings: ProxySettings,
    stats: StatsFrontend,
    readonly process: ProcessState,
    private readonly routing: FrontendRouting,
    /** The proxy has a log target. */
    readonly logs: boolean,
  ) {
    this.counters = stats.counters;
    this.maxconn = stats.maxconn;
  }

  /**
   * Serves an accepted client connection: counted on the frontend and in the process (`%fc`,
   * `%ac`) from before `serve` runs until the socket closes, its own close handlers first.
   */
  serveConnection(socket: Socket, serve: (socket: Socket) => void): void {
    this.counters.connectionOpened(Date.now());
    this.process.activeConnections += 1;
    serve(socket);
    socket.once("close", () => {
      this.counters.connectionClosed();
      this.process.activeConnections -= 1;
    });
  }

  /** The backend for an HTTP request, or null (503). */
  backendFor(head: RequestHead): BackendRuntime | null {
    const routing = this.routing;
    if (routing.kind !== "routes") return routing.kind === "own" ? routing.backend : null;
    const hosts: string[] = [];
    for (let i = 0; i < head.headers.length; i += 2) if (head.headers[i] === "host") hosts.push(head.headers[i + 1]!);
    const name = routing.table.backendFor({ hosts, path: requestPath(head.url) });
    return name === null ? null : (routing.backends.get(name) ?? null);
  }

  /** The backend of a TCP connection: content routes cannot match, so the default one. */
  tcpBackend(): BackendRuntime | null {
    const routing = this.routing;
    if (routing.kind !== "routes") return routing.kind === "own" ? routing.backend : null;
    const name = routing.table.backendFor({ hosts: [], path: "" });
    return name === null ? null : (routing.backends.get(name) ?? null);
  }

  logHttp(record: HttpLogRecord): void {
    if (!this.logs) return;
    this.process.log.request(this.process.jsonLogs ? formatHttpLogJson(record) : formatHttpLog(record));
  }

  logTcp(record: TcpLogRecord): void {
    if (!this.logs) return;
    this.process.log.request(this.process.jsonLogs ? formatTcpLogJson(record) : formatTcpLog(record));
  }
}

/** The routing a frontend or listen section describes. */
export function routingOf(proxy: IrFrontend | IrListen, backends: ReadonlyMap<string, BackendRuntime>): FrontendRouting {
  if ("routes" in proxy) return { kind: "routes", table: new RouteTable(proxy), backends };
  const own = backends.get(proxy.name);
  return own ? { kind: "own", backend: own } : { kind: "none" };
}

/** Whether a proxy's log lines go anywhere: own targets, or `log global` with global ones. */
export function proxyLogs(logs: readonly IrLog[], defaults: IrDefaults, global: IrGlobal): boolean {
  const effective = logs.length > 0 ? logs : defaults.logs;
  return effective.some((log) => !("global" in log) || global.logs.length > 0);
}
