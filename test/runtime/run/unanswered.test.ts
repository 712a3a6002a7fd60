/**
 * A server that takes a request and dies without a byte of answer: a safe request (GET) is
 * retried like a connection failure, so `option redispatch` moves it to a live server; a request
 * with a body is not repeated (it may have had effects) and gets HAProxy's 502.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileSpec, freePort, get, HalbRun, LOCALHOST, LOOPBACK_CLUSTER, Origin, parseResponse, rawExchange } from "./harness.js";

let rude: Server;
let good: Origin;
let run: HalbRun;
let port: number;
let cleanup: () => void;
let rudeRequests = 0;

beforeAll(async () => {
  rude = createServer((socket) => {
    socket.once("data", () => {
      rudeRequests += 1;
      socket.destroy();
    });
  });
  const rudePort = await freePort();
  await new Promise<void>((done) => rude.listen(rudePort, LOCALHOST, done));
  good = await Origin.start("good");
  port = await freePort();
  const compiled = compileSpec(`${LOOPBACK_CLUSTER}
defaults {
  mode http
  retries 2
  timeout connect 1s client 5s server 5s
}
frontend www {
  bind 127.0.0.1:${port}
  route host post.test -> only_rude
  default -> pair
}
backend pair {
  balance roundrobin
  option redispatch
  server rude 127.0.0.1:${rudePort}
  server good 127.0.0.1:${good.port}
}
backend only_rude {
  server rude 127.0.0.1:${rudePort}
}
`);
  cleanup = compiled.cleanup;
  run = await HalbRun.start(compiled.out);
});

afterAll(async () => {
  await run?.stop();
  await new Promise((done) => rude?.close(done));
  await good?.close();
  cleanup?.();
});

it("moves an unanswered GET to a live server", async () => {
  const before = rudeRequests;
  for (let i = 0; i < 4; i++) {
    const response = await get(port, `/get${i}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe("good");
  }
  expect(rudeRequests).toBeGreaterThan(before);
});

it("does not repeat a POST with a body: 502", async () => {
  const raw = await rawExchange(port, "POST /p HTTP/1.1\r\nhost: post.test\r\nconnection: close\r\ncontent-length: 3\r\n\r\nabc");
  expect(parseResponse(raw).status).toBe(502);
});
