/**
 * A request body that arrives while its request waits for a server slot: halb keeps 64 KiB, then
 * stops reading the client until the server is reached, and must start reading again then, however
 * many pieces (chunks) the body came in.
 */
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOCALHOST, LOOPBACK_CLUSTER, parseResponse } from "./harness.js";

let origin: Server;
let run: HalbRun;
let port: number;
let cleanup: () => void;

beforeAll(async () => {
  // Answers with the number of body bytes it received, after `?ms=N`.
  origin = createServer((request, response) => {
    let received = 0;
    request.on("data", (chunk: Buffer) => (received += chunk.length));
    request.on("end", () => {
      const ms = Number(/ms=(\d+)/.exec(request.url ?? "")?.[1] ?? 0);
      setTimeout(() => response.end(String(received)), ms);
    });
  });
  const originPort = await freePort();
  await new Promise<void>((done) => origin.listen(originPort, LOCALHOST, done));
  port = await freePort();
  const compiled = compileSpec(`${LOOPBACK_CLUSTER}
defaults {
  mode http
  timeout connect 1s client 10s server 10s queue 5s
}
frontend www {
  bind 127.0.0.1:${port}
  default -> web
}
backend web {
  server s 127.0.0.1:${originPort} maxconn 1
}
`);
  cleanup = compiled.cleanup;
  run = await HalbRun.start(compiled.out);
});

afterAll(async () => {
  await run?.stop();
  origin?.closeAllConnections();
  await new Promise((done) => origin?.close(done));
  cleanup?.();
});

it("delivers a 200 kB chunked body in 2,000 chunks sent while the request was queued", async () => {
  const holder = get(port, "/hold?ms=600");
  await new Promise((done) => setTimeout(done, 100));
  const chunks = Array.from({ length: 2000 }, () => `64\r\n${"x".repeat(100)}\r\n`).join("");
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, LOCALHOST);
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => (text += data));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    socket.write(`POST /upload HTTP/1.1\r\nhost: a\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
  });
  expect((await holder).status).toBe(200);
  const response = parseResponse(answer);
  expect(response.status).toBe(200);
  expect(response.body).toBe("200000");
});
