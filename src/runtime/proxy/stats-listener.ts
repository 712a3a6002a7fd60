/**
 * The statistics listener: Node's http server is enough here (a page for people and scrapers, not
 * the data path). Each request goes to handleStatsRequest; admin POST bodies are read up to
 * HAProxy's limit; every request is counted on the stats proxy and logged with the server <STATS>.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { NO_SERVER, STATS_SERVER } from "../log/index.js";
import { type AdminEvent, handleStatsRequest, MAX_ADMIN_BODY_BYTES, type StatsRegistry, type StatsRequest, type StatsSettings } from "../stats/index.js";
import type { FrontendRuntime } from "./frontend-runtime.js";

export interface StatsListenerContext {
  /** The counters to show: this process's, or every worker's added up. */
  readonly registry: () => Promise<StatsRegistry>;
  readonly settings: StatsSettings;
  readonly frontend: FrontendRuntime;
  readonly onAdminAction: (event: AdminEvent) => void;
}

export function createStatsServer(context: StatsListenerContext): Server {
  const server = createServer((request, response) => {
    const startedAt = performance.now();
    const startDate = Date.now();
    readBody(request, async (requestBody, tooLarge) => {
      const statsRequest: StatsRequest = {
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: request.headers,
        ...(requestBody === undefined ? {} : { body: requestBody }),
        bodyTooLarge: tooLarge,
      };
      let registry: StatsRegistry;
      try {
        registry = await context.registry();
      } catch {
        response.destroy();
        return;
      }
      if (response.destroyed) return;
      const answer = handleStatsRequest(statsRequest, { registry, settings: context.settings, nowMs: Date.now(), onAdminAction: context.onAdminAction });
      const counters = context.frontend.counters;
      counters.requestReceived(Date.now());
      if (answer.kind !== "unmatched") counters.intercepted += 1;
      counters.responseSent(answer.status);
      const body = Buffer.from(answer.body, "utf8");
      response.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
      response.end(body);
      counters.bout += body.length;
      logStatsRequest(context.frontend, request, response, answer.kind === "unmatched" ? NO_SERVER : STATS_SERVER, answer.status, body.length, startedAt, startDate);
    });
  });
  return server;
}

function readBody(request: IncomingMessage, done: (body: string | undefined, tooLarge: boolean) => void): void {
  if (request.method !== "POST") {
    request.resume();
    request.once("end", () => done(undefined, false));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_ADMIN_BODY_BYTES) chunks.push(chunk);
  });
  request.once("end", () => {
    const tooLarge = size > MAX_ADMIN_BODY_BYTES;
    done(tooLarge ? undefined : Buffer.concat(chunks).toString("latin1"), tooLarge);
  });
}

function logStatsRequest(frontend: FrontendRuntime, request: IncomingMessage, _response: ServerResponse, server: string, status: number, bytes: number, startedAt: number, startDate: number): void {
  const total = Math.round(performance.now() - startedAt);
  frontend.logHttp({
    clientAddress: request.socket.remoteAddress ?? "",
    clientPort: request.socket.remotePort ?? 0,
    requestDate: startDate,
    frontend: frontend.settings.name,
    backend: frontend.settings.name,
    server,
    timers: { request: 0, queue: 0, connect: 0, response: 0, active: total },
    status,
    bytesSent: bytes,
    termination: { cause: server === STATS_SERVER ? "L" : "S", phase: server === STATS_SERVER ? "R" : "C" },
    requestLine: `${request.method} ${request.url} HTTP/${request.httpVersion}`,
    connections: { process: frontend.process.activeConnections, frontend: frontend.counters.scur, backend: 0, server: 0 },
    retries: 0,
    redispatched: false,
    queues: { server: 0, backend: 0 },
  });
}
