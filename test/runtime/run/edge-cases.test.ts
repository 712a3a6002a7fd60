/**
 * HTTP edge cases through `halb run`, each checked on the wire: pipelining, request bodies
 * (content-length and chunked, 5 MB), a slow body under `timeout http-request`, backpressure both
 * ways (64 MB), pooled server connections after a large answer, HEAD, 204/304, a response
 * delimited by the origin's close, `Expect: 100-continue`, a protocol upgrade (101 then a tunnel),
 * HTTP/1.0 clients, clients that vanish mid-exchange, origins that close idle connections, the
 * statistics page's admin actions, and memory with 500 idle keep-alive clients.
 *
 * Each group of cases has its own backend (all on one origin), so a server connection that one
 * case leaves in a bad state in halb's pool cannot make another case fail.
 */
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOCALHOST, LOOPBACK_CLUSTER, parseResponse, rawExchange } from "./harness.js";
import { HttpOrigin, LoadLoops, RawClient, row, rssKb, sha256, splitResponses, statsRows, until } from "./run-kit.js";

const MB = 1024 * 1024;
const BLOCK = randomBytes(MB);

/** The hash of `size` bytes made of BLOCK repeated (what /big and /sink deal in). */
function patternHash(size: number): string {
  const hash = createHash("sha256");
  for (let left = size; left > 0; left -= BLOCK.length) hash.update(BLOCK.subarray(0, Math.min(left, BLOCK.length)));
  return hash.digest("hex");
}

interface Progress {
  written: number;
  finished: boolean;
  closed: boolean;
}

/** The main origin: a few endpoints for the cases below. */
function mainHandler(state: { big: Progress; sinkRelease: Promise<void>; sinkReceived: number; stream: Progress }) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? "/", "http://origin");
    const path = url.pathname;
    if (path === "/hello") {
      response.writeHead(200, { "content-type": "text/plain", "content-length": 5 });
      response.end("hello");
      return;
    }
    if (path === "/chunked") {
      // No length: node:http sends it chunked.
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("hel");
      response.end("lo");
      return;
    }
    if (path === "/delay") {
      request.resume();
      setTimeout(() => {
        const id = url.searchParams.get("id") ?? "";
        response.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(id) });
        response.end(id);
      }, Number(url.searchParams.get("ms") ?? 0));
      return;
    }
    if (path === "/echo") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks);
        response.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length, "x-received-length": body.length, "x-received-sha256": sha256(body), "x-received-te": request.headers["transfer-encoding"] ?? "", "x-received-cl": request.headers["content-length"] ?? "" });
        response.end(body);
      });
      return;
    }
    if (path === "/sink") {
      void state.sinkRelease.then(() => {
        const hash = createHash("sha256");
        let length = 0;
        request.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          length += chunk.length;
          state.sinkReceived = length;
        });
        request.on("end", () => {
          response.writeHead(200, { "x-received-length": length, "x-received-sha256": hash.digest("hex") });
          response.end("sunk");
        });
      });
      return;
    }
    if (path === "/big" || path === "/stream") {
      const size = Number(url.searchParams.get("size") ?? 0);
      const progress = path === "/big" ? state.big : state.stream;
      Object.assign(progress, { written: 0, finished: false, closed: false });
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
      response.on("close", () => (progress.closed = true));
      const pump = (): void => {
        while (progress.written < size) {
          if (response.destroyed) return;
          const n = Math.min(BLOCK.length, size - progress.written);
          progress.written += n;
          if (!response.write(BLOCK.subarray(0, n))) {
            response.once("drain", pump);
            return;
          }
        }
        progress.finished = true;
        response.end();
      };
      pump();
      return;
    }
    if (path === "/204") {
      response.writeHead(204, { "x-case": "204" });
      response.end();
      return;
    }
    if (path === "/304") {
      response.writeHead(304, { etag: '"v1"', "x-case": "304" });
      response.end();
      return;
    }
    response.writeHead(404);
    response.end("not found");
  };
}

/**
 * An origin on raw sockets for answers node:http will not write: `/noclen` (HTTP/1.1 200 with
 * neither content-length nor chunked: 300 kB in three writes, then the origin closes), `/304cl`
 * (a 304 with `content-length: 10` and no body, the connection kept).
 */
const NOCLEN_BODY = randomBytes(300 * 1024);
async function rawOrigin(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket: Socket) => {
    let pending = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      pending += chunk;
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const path = head.split(" ")[1];
        if (path === "/noclen") {
          socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\r\n");
          const third = NOCLEN_BODY.length / 3;
          socket.write(NOCLEN_BODY.subarray(0, third));
          setTimeout(() => {
            socket.write(NOCLEN_BODY.subarray(third, 2 * third));
            setTimeout(() => socket.end(NOCLEN_BODY.subarray(2 * third)), 20);
          }, 20);
          return;
        }
        if (path === "/304cl") socket.write('HTTP/1.1 304 Not Modified\r\netag: "v1"\r\ncontent-length: 10\r\n\r\n');
        else socket.write("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nraw");
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((done) => server.listen(0, LOCALHOST, done));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Reads one response with a content-length body on a fresh connection, optionally paused first; hashes the body. */
class BodyReader {
  readonly socket: Socket;
  head = "";
  bodyBytes = 0;
  contentLength = -1;
  done = false;
  readonly #hash = createHash("sha256");
  #pending = Buffer.alloc(0);
  digest = "";

  constructor(port: number, requestText: string, paused: boolean) {
    this.socket = connect(port, LOCALHOST);
    this.socket.on("error", () => {});
    this.socket.write(requestText);
    this.socket.on("data", (chunk: Buffer) => this.#read(chunk));
    if (paused) this.socket.pause();
  }

  #read(chunk: Buffer): void {
    if (this.contentLength < 0) {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      const end = this.#pending.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.head = this.#pending.subarray(0, end).toString("latin1");
      this.contentLength = Number(/\r\ncontent-length: *(\d+)/i.exec(this.head)?.[1] ?? -1);
      chunk = this.#pending.subarray(end + 4);
    }
    this.#hash.update(chunk);
    this.bodyBytes += chunk.length;
    if (this.bodyBytes >= this.contentLength && !this.done) {
      this.done = true;
      this.digest = this.#hash.digest("hex");
    }
  }
}

/** Polls until `value()` stops changing for `quietMs` (or `stop()` holds); returns the last value. */
async function settle(value: () => number, stop: () => boolean, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = value();
  let since = Date.now();
  while (Date.now() < deadline && !stop()) {
    await new Promise((done) => setTimeout(done, 25));
    const now = value();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return value();
}

describe("halb run HTTP edge cases", () => {
  const state = { big: { written: 0, finished: false, closed: false }, stream: { written: 0, finished: false, closed: false }, sinkRelease: Promise.resolve(), sinkReceived: 0 };
  let main: HttpOrigin;
  let x: HttpOrigin;
  let y: HttpOrigin;
  let idleCloser: HttpOrigin;
  let raw: { server: Server; port: number };
  let run: HalbRun;
  let cleanup: () => void;
  let port: number;
  let slowPort: number;
  let statsPort: number;
  const auth = `Basic ${Buffer.from("admin:pw").toString("base64")}`;

  beforeAll(async () => {
    main = await HttpOrigin.start("main", mainHandler(state));
    main.onUpgrade((request, socket, head) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\nwelcome");
      if (head.length > 0) socket.write(`echo:${head.toString()}`);
      socket.on("data", (chunk: Buffer) => socket.write(`echo:${chunk.toString()}`));
      socket.on("end", () => socket.end("bye"));
      socket.on("error", () => socket.destroy());
      void request;
    });
    x = await HttpOrigin.start("x");
    y = await HttpOrigin.start("y");
    idleCloser = await HttpOrigin.start("idle");
    raw = await rawOrigin();
    port = await freePort();
    slowPort = await freePort();
    statsPort = await freePort();
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
global {
  log 127.0.0.1 local0
}
defaults {
  mode http
  log global
  option httplog
  retries 3
  timeout connect 1s client 10s server 10s http-request 5s http-keep-alive 10s
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin pw
  admin
}
frontend www {
  bind 127.0.0.1:${port}
  route host raw.test -> raw
  route host lb.test -> lb
  route host idle.test -> idle
  route host ws.test -> ws
  route host cl.test -> cl
  route host chunked.test -> chunked
  route host down.test -> down
  route host up.test -> up
  route host poison.test -> poison
  route host vanish.test -> vanish
  default -> main
}
frontend short_head {
  bind 127.0.0.1:${slowPort}
  timeout http-request 300ms
  default -> slowbody
}
# One backend per group of cases, all on the main origin: each has its own pool of server
# connections, so a connection one case leaves broken cannot fail another case.
${["main", "ws", "cl", "chunked", "down", "up", "poison", "vanish", "slowbody"].map((name) => `backend ${name} {\n  server main 127.0.0.1:${main.port}\n}`).join("\n")}
backend raw {
  server raw 127.0.0.1:${raw.port}
}
backend lb {
  balance roundrobin
  server x 127.0.0.1:${x.port}
  server y 127.0.0.1:${y.port}
}
backend idle {
  server idle 127.0.0.1:${idleCloser.port}
}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    for (const origin of [main, x, y, idleCloser]) await origin?.close();
    raw?.server.close();
    cleanup?.();
  });

  it("answers pipelined requests in order, the slow first one included", async () => {
    const text = await rawExchange(
      port,
      "GET /delay?ms=200&id=first HTTP/1.1\r\nhost: a\r\n\r\n" +
        "POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\n\r\nabcde" +
        "GET /delay?ms=0&id=third HTTP/1.1\r\nhost: a\r\n\r\n" +
        "GET /hello HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n",
    );
    const { responses, rest } = splitResponses(text);
    expect(responses.map((r) => `${r.status} ${r.body}`)).toEqual(["200 first", "200 abcde", "200 third", "200 hello"]);
    expect(rest).toBe("");
  });

  async function post(path: string, body: Buffer, chunked: boolean, host = chunked ? "chunked.test" : "cl.test"): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
    return new Promise((done, fail) => {
      const request = httpRequest({ host: LOCALHOST, port, path, method: "POST", agent: false, headers: chunked ? { host, "transfer-encoding": "chunked" } : { host, "content-length": body.length } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => done({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on("error", fail);
      });
      request.on("error", fail);
      // In pieces, as a client streaming an upload would.
      for (let at = 0; at < body.length; at += 256 * 1024) request.write(body.subarray(at, at + 256 * 1024));
      request.end();
    });
  }

  it("carries a 5 MB content-length POST body to the server intact and the 5 MB answer back", async () => {
    const body = randomBytes(5 * MB);
    const response = await post("/echo", body, false);
    expect(response.status).toBe(200);
    expect(response.headers["x-received-cl"]).toBe(String(body.length));
    expect(response.headers["x-received-length"]).toBe(String(body.length));
    expect(response.headers["x-received-sha256"]).toBe(sha256(body));
    expect(response.body.equals(body)).toBe(true);
  });

  it("keeps a reused server connection working after a large answer to a client that closes (connection: close)", async () => {
    const body = randomBytes(5 * MB);
    expect((await get(port, "/hello", { host: "poison.test" })).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      // node:http with agent false says `connection: close`; the 5 MB echo fills halb's writes to it.
      const echoed = await post("/echo", body, false, "poison.test");
      expect(echoed.body.length).toBe(body.length);
      // The next request reuses the pooled server connection of that answer.
      const started = performance.now();
      const response = await get(port, "/hello", { host: "poison.test" });
      expect(`round ${round}: ${response.status} ${response.body}`).toBe(`round ${round}: 200 hello`);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it("carries a 5 MB chunked POST body to the server intact (still chunked) and the answer back", async () => {
    const body = randomBytes(5 * MB);
    const response = await post("/echo", body, true);
    expect(response.status).toBe(200);
    expect(response.headers["x-received-te"]).toBe("chunked");
    expect(response.headers["x-received-length"]).toBe(String(body.length));
    expect(response.headers["x-received-sha256"]).toBe(sha256(body));
    expect(response.body.equals(body)).toBe(true);
  });

  it("lets a request body take longer than timeout http-request (it bounds the head only)", async () => {
    // runtime-semantics §1.11: `timeout http-request` is a deadline for the request headers.
    const client = await RawClient.connect(slowPort);
    try {
      client.write("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 1500\r\nconnection: close\r\n\r\n");
      for (let sent = 0; sent < 1500; sent += 100) {
        client.write("x".repeat(100));
        await new Promise((done) => setTimeout(done, 60)); // the pacing under test: 15 pieces over ~0.9 s
      }
      await client.waitFor((text) => splitResponses(text).responses.length === 1, 3000, "the answer");
      const response = splitResponses(client.text).responses[0]!;
      expect(`${response.status} ${response.headers["x-received-length"]}`).toBe("200 1500");
    } finally {
      client.destroy();
    }
  });

  it("holds a 64 MB download back while the client does not read (backpressure), then delivers all of it", async () => {
    const size = 64 * MB;
    Object.assign(state.big, { written: 0, finished: false, closed: false });
    const reader = new BodyReader(port, `GET /big?size=${size} HTTP/1.1\r\nhost: down.test\r\nconnection: close\r\n\r\n`, true);
    try {
      await until(() => state.big.written > 0, 3000, "the origin to start answering");
      const stalledAt = await settle(() => state.big.written, () => state.big.finished, 300, 8000);
      // Kernel buffers on the way hold some megabytes; halb itself must not soak up the rest.
      expect(state.big.finished, `the origin wrote all ${size} bytes to a client that reads nothing`).toBe(false);
      expect(stalledAt).toBeLessThan(size / 2);
      expect(rssKb(run.child.pid!)).toBeLessThan(200 * 1024);
      reader.socket.resume();
      await until(() => reader.done, 15_000, "the whole body", () => `${reader.bodyBytes} of ${size}`);
      expect(reader.head).toMatch(/^HTTP\/1\.1 200 /);
      expect(reader.bodyBytes).toBe(size);
      expect(reader.digest).toBe(patternHash(size));
    } finally {
      reader.socket.destroy();
    }
  });

  it("holds a 64 MB upload back while the server does not read (backpressure), then delivers all of it", async () => {
    const size = 64 * MB;
    let release!: () => void;
    state.sinkRelease = new Promise((done) => (release = done));
    state.sinkReceived = 0;
    const client = await RawClient.connect(port);
    client.write(`POST /sink HTTP/1.1\r\nhost: up.test\r\ncontent-length: ${size}\r\nconnection: close\r\n\r\n`);
    let accepted = 0;
    const pump = (): void => {
      while (accepted < size) {
        const n = Math.min(BLOCK.length, size - accepted);
        accepted += n;
        if (!client.socket.write(BLOCK.subarray(0, n))) {
          client.socket.once("drain", pump);
          return;
        }
      }
    };
    try {
      pump();
      const stalledAt = await settle(() => accepted, () => accepted >= size, 300, 8000);
      expect(stalledAt, "the client could hand over the whole upload to a server that reads nothing").toBeLessThan(size);
      expect(stalledAt).toBeLessThan(size / 2);
      expect(state.sinkReceived).toBe(0);
      expect(rssKb(run.child.pid!)).toBeLessThan(200 * 1024);
      release();
      await client.waitFor((text) => splitResponses(text).responses.length === 1, 15_000, "the answer to the upload");
      const response = splitResponses(client.text).responses[0]!;
      expect(response.status).toBe(200);
      expect(response.body).toBe("sunk");
      expect(response.headers["x-received-length"]).toBe(String(size));
      expect(response.headers["x-received-sha256"]).toBe(patternHash(size));
    } finally {
      release();
      client.destroy();
    }
  });

  it("answers HEAD with the headers only, and the connection goes on", async () => {
    const text = await rawExchange(port, "HEAD /hello HTTP/1.1\r\nhost: a\r\n\r\nGET /hello HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
    const { responses, rest } = splitResponses(text, [true, false]);
    expect(responses).toHaveLength(2);
    expect(responses[0]!.status).toBe(200);
    expect(responses[0]!.headers["content-length"]).toBe("5");
    expect(responses[0]!.body).toBe("");
    expect(responses[1]!.body).toBe("hello");
    expect(rest).toBe("");
  });

  it("forwards 204 and 304 without a body, and the connection goes on", async () => {
    const text = await rawExchange(port, "GET /204 HTTP/1.1\r\nhost: a\r\n\r\nGET /304 HTTP/1.1\r\nhost: a\r\n\r\nGET /hello HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
    const { responses, rest } = splitResponses(text);
    expect(responses.map((r) => `${r.status} ${r.headers["x-case"] ?? ""} ${r.body}`)).toEqual(["204 204 ", "304 304 ", "200  hello"]);
    expect(rest).toBe("");
  });

  it("does not wait for a body after a 304 that carries content-length", async () => {
    const text = await rawExchange(port, "GET /304cl HTTP/1.1\r\nhost: raw.test\r\n\r\nGET /other HTTP/1.1\r\nhost: raw.test\r\nconnection: close\r\n\r\n", { waitMs: 3000 });
    const { responses } = splitResponses(text);
    expect(responses.map((r) => `${r.status} ${r.body}`)).toEqual(["304 ", "200 raw"]);
  });

  it("delivers a body the origin ends by closing (no content-length, HTTP/1.1) complete to an HTTP/1.1 client", async () => {
    const client = await RawClient.connect(port);
    try {
      client.write("GET /noclen HTTP/1.1\r\nhost: raw.test\r\n\r\n");
      // Either re-chunked (and the connection may go on) or delimited by halb's close: complete either way.
      await until(() => client.ended || client.closed || /\r\n0\r\n\r\n$/.test(client.text), 5000, "the end of the response");
      const response = parseResponse(client.text);
      expect(response.status).toBe(200);
      expect(response.body.length).toBe(NOCLEN_BODY.length);
      expect(Buffer.from(response.body, "latin1").equals(NOCLEN_BODY)).toBe(true);
      if (!client.ended && !client.closed) {
        // Re-chunked: the client connection is still usable.
        const before = client.length;
        client.write("GET /hello HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
        await client.waitFor((text) => text.length > before && text.endsWith("hello"), 3000, "the next answer");
      }
    } finally {
      client.destroy();
    }
  });

  it("delivers a close-delimited body complete to an HTTP/1.0 client, then closes", async () => {
    const client = await RawClient.connect(port);
    client.write("GET /noclen HTTP/1.0\r\nhost: raw.test\r\n\r\n");
    await client.waitEnded(5000);
    const response = parseResponse(client.text);
    expect(client.text.startsWith("HTTP/1.0 200 ")).toBe(true);
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    expect(Buffer.from(response.body, "latin1").equals(NOCLEN_BODY)).toBe(true);
    client.destroy();
  });

  it("relays 100 Continue before the client sends its body, then the final answer", async () => {
    const client = await RawClient.connect(port);
    try {
      client.write("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 11\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n");
      await client.waitFor((text) => text.includes("\r\n\r\n"), 3000, "100 Continue");
      expect(client.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
      client.write("hello world");
      await client.waitFor((text) => text.endsWith("hello world"), 3000, "the final answer");
      const final = client.text.slice(client.text.indexOf("\r\n\r\n") + 4);
      const response = parseResponse(final);
      expect(response.status).toBe(200);
      expect(response.headers["x-received-length"]).toBe("11");
      expect(response.body).toBe("hello world");
    } finally {
      client.destroy();
    }
  });

  it("switches protocols on 101 and then carries bytes both ways", async () => {
    const client = await RawClient.connect(port);
    try {
      client.write("GET /ws HTTP/1.1\r\nhost: ws.test\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n");
      await client.waitFor((text) => text.endsWith("welcome"), 3000, "101 and the server's first bytes");
      expect(client.text).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      expect(client.text.toLowerCase()).toMatch(/\r\nupgrade: websocket\r\n/);
      client.write("ping");
      await client.waitFor((text) => text.endsWith("welcomeecho:ping"), 3000, "the echo of ping");
      client.write("pong");
      await client.waitFor((text) => text.endsWith("echo:pong"), 3000, "the echo of pong");
      client.socket.end();
      await client.waitFor((text) => text.endsWith("bye"), 3000, "the server's answer to the client's FIN");
    } finally {
      client.destroy();
    }
  });

  it("answers an HTTP/1.0 client and closes after the answer; keeps it alive when asked", async () => {
    const closeClient = await RawClient.connect(port);
    closeClient.write("GET /hello HTTP/1.0\r\nhost: a\r\n\r\n");
    await closeClient.waitEnded(3000);
    expect(closeClient.text).toMatch(/^HTTP\/1\.[01] 200 /);
    expect(parseResponse(closeClient.text).body).toBe("hello");
    closeClient.destroy();

    const keepClient = await RawClient.connect(port);
    try {
      keepClient.write("GET /hello HTTP/1.0\r\nhost: a\r\nconnection: keep-alive\r\n\r\n");
      await keepClient.waitFor((text) => text.endsWith("hello"), 3000, "the first answer");
      expect(parseResponse(keepClient.text).headers.connection?.toLowerCase()).toBe("keep-alive");
      expect(keepClient.ended).toBe(false);
      keepClient.write("GET /delay?id=second HTTP/1.0\r\nhost: a\r\nconnection: keep-alive\r\n\r\n");
      await keepClient.waitFor((text) => text.endsWith("second"), 3000, "the second answer on the same connection");
    } finally {
      keepClient.destroy();
    }
  });

  it("delivers a chunked answer complete to an HTTP/1.0 client", async () => {
    const client = await RawClient.connect(port);
    client.write("GET /chunked HTTP/1.0\r\nhost: a\r\n\r\n");
    await client.waitEnded(3000);
    expect(client.text).toMatch(/^HTTP\/1\.[01] 200 /);
    // HTTP/1.0 has no chunked encoding: the body arrives as it is, ended by the close.
    expect(client.text).not.toMatch(/transfer-encoding: chunked/i);
    expect(client.text.endsWith("\r\n\r\nhello")).toBe(true);
    client.destroy();
  });

  it("forwards an HTTP/1.0 request without Host (valid in HTTP/1.0) so the server can answer it", async () => {
    // HAProxy keeps the client's version on the request line it sends (h1_format_htx_reqline):
    // the server gets `GET /hello HTTP/1.0`, for which Host is optional.
    const client = await RawClient.connect(port);
    client.write("GET /hello HTTP/1.0\r\n\r\n");
    await client.waitEnded(3000);
    const response = parseResponse(client.text);
    expect(`${response.status} ${response.body}`).toBe("200 hello");
    const seen = main.requests.at(-1)!;
    expect(seen.url).toBe("/hello");
    client.destroy();
  });

  it("survives clients that vanish mid-response and mid-request, closing the server side too", async () => {
    const pid = run.child.pid!;
    // Mid-response: read a little of a 64 MB answer, then reset.
    const reader = new BodyReader(port, `GET /stream?size=${64 * MB} HTTP/1.1\r\nhost: vanish.test\r\n\r\n`, false);
    await until(() => reader.bodyBytes > MB, 5000, "the first megabyte");
    reader.socket.resetAndDestroy();
    await until(() => state.stream.closed, 3000, "the origin's response to be aborted", () => JSON.stringify(state.stream));
    expect(state.stream.finished).toBe(false);

    // Mid-request: part of a body, then gone (FIN, then a reset). A message cut by the end of
    // input is an error for HAProxy (mux_h1.c h1_process_demux: "message aborted, set error on
    // CS"): the stream is aborted at once and the server connection closed.
    for (const how of ["end", "reset"] as const) {
      const client = await RawClient.connect(port);
      client.write(`POST /echo HTTP/1.1\r\nhost: vanish.test\r\ncontent-length: ${MB}\r\n\r\n`);
      client.write(randomBytes(100 * 1024));
      await until(() => main.requests.some((r) => r.url === "/echo" && r.answeredAt === null), 2000, "the upload at the origin");
      if (how === "end") client.socket.end();
      else client.socket.resetAndDestroy();
      await until(() => main.inFlight === 0, 2000, `the origin's request to be aborted after the client's ${how === "end" ? "FIN" : "reset"}`);
      client.destroy();
    }

    // Still serving, same process.
    expect(run.child.exitCode).toBeNull();
    expect(run.child.pid).toBe(pid);
    const response = await get(port, "/hello");
    expect(response.status).toBe(200);
    expect(response.body).toBe("hello");
  });

  it("never stalls a kept-alive client when the origin closes its idle connections", async () => {
    // Origins close idle keep-alive connections all the time (their keep-alive timeout). Here every 10 ms.
    const closer = setInterval(() => idleCloser.closeIdle(), 10);
    const loops = new LoadLoops(port, 10, 10, new Set(["idle"]), "idle.test", 2000);
    try {
      await until(() => loops.total >= 2000 || loops.failures.length > 0, 6000, "2000 requests", () => `ok ${loops.ok}`);
    } finally {
      clearInterval(closer);
      await loops.stop();
    }
    expect(loops.failures.slice(0, 3)).toEqual([]);
  });

  it("takes a server out of rotation with the stats page's maint action and back with ready", async () => {
    const pick = async (n: number): Promise<string[]> => {
      const names: string[] = [];
      for (let i = 0; i < n; i++) names.push((await get(port, "/", { host: "lb.test" })).body);
      return names;
    };
    const admin = async (action: string): Promise<string> => {
      const body = `s=y&action=${action}&b=lb`;
      const response = parseResponse(
        await rawExchange(statsPort, `POST /stats HTTP/1.1\r\nhost: a\r\nauthorization: ${auth}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`),
      );
      expect(response.status).toBe(303);
      return response.headers.location ?? "";
    };
    const both = await pick(4);
    expect(both.sort()).toEqual(["x", "x", "y", "y"]);

    expect(await admin("maint")).toBe("/stats;st=DONE");
    expect(row(await statsRows(statsPort, "/stats", "admin", "pw"), "lb", "y").status).toBe("MAINT");
    const servedByY = y.served;
    expect(await pick(6)).toEqual(["x", "x", "x", "x", "x", "x"]);
    expect(y.served).toBe(servedByY);

    expect(await admin("ready")).toBe("/stats;st=DONE");
    // Without health checks a ready server shows "no check" (runtime-semantics §1.9).
    expect(row(await statsRows(statsPort, "/stats", "admin", "pw"), "lb", "y").status).toBe("no check");
    const after = await pick(6);
    expect(after.filter((name) => name === "y").length).toBeGreaterThanOrEqual(2);
    expect(after.filter((name) => name === "x").length).toBeGreaterThanOrEqual(2);
  });
});

describe("halb run memory with 500 idle keep-alive connections", () => {
  let origin: HttpOrigin;
  let run: HalbRun;
  let cleanup: () => void;
  let port: number;

  beforeAll(async () => {
    origin = await HttpOrigin.start("m");
    port = await freePort();
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
defaults {
  mode http
  timeout connect 1s client 30s server 10s http-keep-alive 30s
}
frontend www {
  bind 127.0.0.1:${port}
  default -> m
}
backend m {
  server m 127.0.0.1:${origin.port}
}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    await origin?.close();
    cleanup?.();
  });

  it("stays under 150 MB resident and keeps all 500 connections usable", async () => {
    const clients: RawClient[] = [];
    try {
      for (let batch = 0; batch < 10; batch++) {
        const opened = await Promise.all(Array.from({ length: 50 }, () => RawClient.connect(port)));
        for (const client of opened) client.write("GET /first HTTP/1.1\r\nhost: a\r\n\r\n");
        await Promise.all(opened.map((client) => client.waitFor((text) => splitResponses(text).responses.length === 1, 5000, "the first answer")));
        clients.push(...opened);
      }
      const rss = rssKb(run.child.pid!);
      expect(rss, `VmRSS ${rss} kB`).toBeLessThan(150 * 1024);
      // All 500 are still open and answer a second request.
      expect(clients.filter((client) => client.ended || client.closed)).toHaveLength(0);
      for (const client of clients) client.write("GET /second HTTP/1.1\r\nhost: a\r\n\r\n");
      await Promise.all(clients.map((client) => client.waitFor((text) => splitResponses(text).responses.length === 2, 10_000, "the second answer")));
      for (const client of clients) expect(splitResponses(client.text).responses.map((r) => `${r.status} ${r.body}`)).toEqual(["200 m", "200 m"]);
      expect(rssKb(run.child.pid!)).toBeLessThan(150 * 1024);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
