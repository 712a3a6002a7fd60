/**
 * An HTTP/1.0 client behind a server that answers chunked whatever the request says: HTTP/1.0
 * has no chunked encoding, so the body must reach the client as it is, ended by the close.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileSpec, freePort, HalbRun, LOCALHOST, LOOPBACK_CLUSTER, rawExchange } from "./harness.js";

let origin: Server;
let run: HalbRun;
let port: number;
let cleanup: () => void;

beforeAll(async () => {
  origin = createServer((socket) => {
    socket.once("data", () => socket.end("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  });
  const originPort = await freePort();
  await new Promise<void>((done) => origin.listen(originPort, LOCALHOST, done));
  port = await freePort();
  const compiled = compileSpec(`${LOOPBACK_CLUSTER}
defaults {
  mode http
  timeout connect 1s client 5s server 5s
}
frontend www {
  bind 127.0.0.1:${port}
  default -> web
}
backend web {
  server s 127.0.0.1:${originPort}
}
`);
  cleanup = compiled.cleanup;
  run = await HalbRun.start(compiled.out);
});

afterAll(async () => {
  await run?.stop();
  await new Promise((done) => origin?.close(done));
  cleanup?.();
});

it("de-chunks a chunked answer for an HTTP/1.0 client and closes after it", async () => {
  const raw = await rawExchange(port, "GET / HTTP/1.0\r\nhost: a\r\n\r\n");
  const [head, body] = raw.split("\r\n\r\n");
  expect(head).toMatch(/^HTTP\/1\.0 200 OK/);
  expect(head).not.toMatch(/transfer-encoding/i);
  expect(head).toMatch(/connection: close/i);
  expect(body).toBe("hello world");
});

it("keeps the chunks for an HTTP/1.1 client", async () => {
  const raw = await rawExchange(port, "GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
  expect(raw).toMatch(/transfer-encoding: chunked/i);
  expect(raw.endsWith("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")).toBe(true);
});
