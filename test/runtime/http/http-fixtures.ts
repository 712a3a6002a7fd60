/**
 * Raw HTTP/1.1 on 127.0.0.1 for the comparisons with the real HAProxy: a server that answers every
 * request with the request head it received (so the test sees exactly what HAProxy forwarded) and
 * the response headers the request asks for, and a client that sends bytes and keeps everything
 * it gets back.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export const LOCALHOST = "127.0.0.1";

/** Request header whose value (base64 of JSON `[[name, value], …]`) lists the headers to answer with. */
export const REPLY_HEADER = "X-Reply";

export function replyHeaderValue(headers: readonly (readonly [string, string])[]): string {
  return Buffer.from(JSON.stringify(headers)).toString("base64");
}

export interface EchoServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Answers each request head with `200 OK`, an `X-Server: <name>` header, the headers REPLY_HEADER
 * asks for, then `Content-Length`, and the request head as the body.
 */
export function startEchoServer(name: string): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let pending = "";
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1");
      for (let end = pending.indexOf("\r\n\r\n"); end >= 0; end = pending.indexOf("\r\n\r\n")) {
        const head = pending.slice(0, end + 4);
        pending = pending.slice(end + 4);
        const reply = parseHead(head).headers;
        const asked = headerValue(reply, REPLY_HEADER.toLowerCase());
        const extra = asked === undefined ? [] : (JSON.parse(Buffer.from(asked, "base64").toString("latin1")) as [string, string][]);
        const lines = [["X-Server", name], ...extra].map(([field, value]) => `${field}: ${value}\r\n`).join("");
        socket.write(`HTTP/1.1 200 OK\r\n${lines}Content-Length: ${head.length}\r\n\r\n${head}`, "latin1");
      }
    });
  });
  return listen(server, sockets);
}

/** Accepts connections and never answers (for `timeout server`). */
export function startSilentServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  return listen(createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.resume();
  }), sockets);
}

/** Answers anything with bytes that are not HTTP (for 502). */
export function startGarbageServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  return listen(createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.once("data", () => socket.end("garbage\r\n\r\n"));
  }), sockets);
}

function listen(server: Server, sockets: Set<Socket>): Promise<EchoServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOCALHOST, () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

export interface Exchange {
  /** Every byte received, latin1. */
  readonly received: string;
  /** Whether the proxy closed the connection within the wait. */
  readonly closed: boolean;
}

/**
 * Connects, writes each part after its delay (ms from connecting), and resolves when the proxy
 * closes or `waitMs` after the last write.
 */
export function exchange(port: number, parts: readonly (readonly [number, string])[], waitMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, LOCALHOST);
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = (): void => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks).toString("latin1"), closed });
    };
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("end", () => {
      closed = true;
      finish();
    });
    const lastWrite = parts.reduce((latest, [delay]) => Math.max(latest, delay), 0);
    for (const [delay, data] of parts) {
      setTimeout(() => {
        if (!socket.destroyed) socket.write(data, "latin1", () => undefined);
      }, delay);
    }
    setTimeout(finish, lastWrite + waitMs);
  });
}

export interface ParsedHead {
  readonly startLine: string;
  /** `[name, value, …]` with names and values exactly as received. */
  readonly headers: string[];
}

export function parseHead(head: string): ParsedHead {
  const lines = head.split("\r\n").filter((line) => line !== "");
  const headers: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    // Leading spaces only: a trailing space HAProxy leaves in a value is part of what is compared.
    headers.push(line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+/, ""));
  }
  return { startLine: lines[0] ?? "", headers };
}

/** Splits one response into head and body (by its Content-Length). */
export function splitResponse(response: string): { head: ParsedHead; body: string } {
  const end = response.indexOf("\r\n\r\n");
  const head = parseHead(response.slice(0, end + 2));
  const length = Number(headerValue(head.headers, "content-length") ?? "0");
  return { head, body: response.slice(end + 4, end + 4 + length) };
}

export function headerValue(headers: readonly string[], name: string): string | undefined {
  for (let index = 0; index < headers.length; index += 2) if (headers[index]!.toLowerCase() === name) return headers[index + 1];
  return undefined;
}

/** The names lower-cased, as halb's parser hands them over. */
export function lowerCaseNames(headers: readonly string[]): string[] {
  return headers.map((item, index) => (index % 2 === 0 ? item.toLowerCase() : item));
}

export function withoutHeader(headers: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let index = 0; index < headers.length; index += 2) if (headers[index] !== name) out.push(headers[index]!, headers[index + 1]!);
  return out;
}
