/**
 * Real sockets on 127.0.0.1 for the health-check tests: servers that answer, fail or hang in
 * chosen ways, a port nobody listens on, and a listener that never completes a connection.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer, type Server, type Socket } from "node:net";

export const LOCALHOST = "127.0.0.1";

export interface TestServer {
  readonly port: number;
  /** Every chunk each connection received, joined per connection. */
  readonly requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOCALHOST, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no TCP address"));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TCP server that calls `onRequest` with each connection's first chunk (its check request). */
export async function startScriptedServer(onRequest: (socket: Socket, request: string) => void, onAccept?: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (onAccept) {
      onAccept(socket);
      return;
    }
    socket.once("data", (chunk: Buffer) => {
      const request = chunk.toString("latin1");
      requests.push(request);
      onRequest(socket, request);
    });
  });
  const port = await listen(server);
  return { port, requests, close: () => closeServer(server, sockets) };
}

/** Answers every request with `response` and closes. */
export function startRespondingServer(response: string): Promise<TestServer> {
  return startScriptedServer((socket) => socket.end(response));
}

/** A port that was free a moment ago: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A web server whose `/health` answers with the status the test sets, and that can be switched off
 * (connection refused) and on again on the same port. Other paths answer 200 with a short body
 * naming the server.
 */
export class HealthServer {
  status = 200;
  /** Date.now() of every /health request received. */
  readonly healthHits: number[] = [];
  /** Date.now() of every connection accepted (TCP checks connect and send nothing). */
  readonly connections: number[] = [];
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();

  private constructor(
    readonly name: string,
    public port: number,
  ) {}

  static async start(name: string): Promise<HealthServer> {
    const server = new HealthServer(name, 0);
    await server.restart();
    return server;
  }

  async restart(): Promise<void> {
    this.#server = createServer((socket) => this.#serve(socket));
    this.port = await listen(this.#server, this.port);
  }

  async stop(): Promise<void> {
    if (this.#server) await closeServer(this.#server, this.#sockets);
    this.#server = null;
  }

  #serve(socket: Socket): void {
    this.connections.push(Date.now());
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => undefined);
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (!received.includes("\r\n\r\n")) return;
      const path = received.split(" ")[1] ?? "/";
      if (path === "/health") {
        this.healthHits.push(Date.now());
        socket.end(`HTTP/1.1 ${this.status} Status\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      } else {
        const body = `hello from ${this.name}\n`;
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      }
    });
  }
}

/**
 * A listener whose process never accepts (its event loop is blocked) and whose accept queue is
 * full: Linux then drops new SYNs, so connecting times out, the only way to get a connect timeout
 * on the loopback interface.
 */
export interface StuckListener {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startStuckListener(): Promise<StuckListener> {
  const script = `
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", 1, () => {
      process.stdout.write(server.address().port + "\\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`;
  const child: ChildProcess = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  // Fill the accept queue (backlog 1 holds two) and wait until a further connection really hangs.
  const fillers: Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const socket = connect(port, LOCALHOST);
    socket.on("error", () => undefined);
    fillers.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    port,
    stop: async () => {
      for (const socket of fillers) socket.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
