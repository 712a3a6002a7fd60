/** The TCP and HTTP checks against real sockets on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckTimeLimits } from "../../../src/runtime/health/check-limits.js";
import { judgeResponseHead, responseHeadLength, runHttpCheck } from "../../../src/runtime/health/http-check.js";
import { runTcpCheck } from "../../../src/runtime/health/tcp-check.js";
import {
  closedPort,
  LOCALHOST,
  startRespondingServer,
  startScriptedServer,
  startStuckListener,
  type StuckListener,
  type TestServer,
} from "./net-fixtures.js";

const WHOLE_500MS: CheckTimeLimits = { kind: "whole", totalMs: 500 };
const GET_HEALTH = { method: "GET", path: "/health" };

const servers: TestServer[] = [];
async function server(start: Promise<TestServer>): Promise<TestServer> {
  const started = await start;
  servers.push(started);
  return started;
}
const at = (port: number) => ({ address: LOCALHOST, family: 4 as const, port });

let stuck: StuckListener;
beforeAll(async () => {
  stuck = await startStuckListener();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await stuck.stop();
});

describe("HTTP check", () => {
  it("sends exactly `GET /health HTTP/1.0` and a blank line, as HAProxy 2.6 does", async () => {
    const ok = await server(startRespondingServer("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
    const result = await runHttpCheck(at(ok.port), GET_HEALTH, WHOLE_500MS);
    expect(ok.requests).toEqual(["GET /health HTTP/1.0\r\n\r\n"]);
    expect(result).toMatchObject({ status: "L7OK", httpCode: 200 });
    expect(result.info).toBeUndefined();
    expect(result.durationMs).toBeLessThan(500);
  });

  it("passes 2xx and 3xx, fails anything else with the reason phrase as info", async () => {
    const redirect = await server(startRespondingServer("HTTP/1.1 302 Found\r\nlocation: /x\r\n\r\n"));
    const error = await server(startRespondingServer("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n"));
    const notFound = await server(startRespondingServer("HTTP/1.0 404 Nope\r\n\r\n"));
    expect(await runHttpCheck(at(redirect.port), GET_HEALTH, WHOLE_500MS)).toMatchObject({ status: "L7OK", httpCode: 302 });
    expect(await runHttpCheck(at(error.port), GET_HEALTH, WHOLE_500MS)).toMatchObject({
      status: "L7STS",
      httpCode: 500,
      info: "Internal Server Error",
    });
    expect(await runHttpCheck(at(notFound.port), GET_HEALTH, WHOLE_500MS)).toMatchObject({ status: "L7STS", httpCode: 404, info: "Nope" });
  });

  it("with `expect status N` only N passes, even another 2xx", async () => {
    const moved = await server(startRespondingServer("HTTP/1.1 301 Moved\r\ncontent-length: 0\r\n\r\n"));
    const ok = await server(startRespondingServer("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
    const head = { method: "HEAD", path: "/x", expectStatus: 301 };
    expect(await runHttpCheck(at(moved.port), head, WHOLE_500MS)).toMatchObject({ status: "L7OK", httpCode: 301 });
    expect(moved.requests).toEqual(["HEAD /x HTTP/1.0\r\n\r\n"]);
    expect(await runHttpCheck(at(ok.port), head, WHOLE_500MS)).toMatchObject({ status: "L7STS", httpCode: 200, info: "OK" });
  });

  it("judges on the response head without waiting for the body", async () => {
    const slowBody = await server(startScriptedServer((socket) => socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123")));
    const result = await runHttpCheck(at(slowBody.port), GET_HEALTH, WHOLE_500MS);
    expect(result).toMatchObject({ status: "L7OK", httpCode: 200 });
    expect(result.durationMs).toBeLessThan(400);
  });

  it("a server that closes without answering gives `Layer7 invalid response`", async () => {
    const closes = await server(startScriptedServer((socket) => socket.end()));
    const garbage = await server(startRespondingServer("hello\r\n\r\n"));
    expect(await runHttpCheck(at(closes.port), GET_HEALTH, WHOLE_500MS)).toEqual(expect.objectContaining({ status: "L7RSP" }));
    expect(await runHttpCheck(at(garbage.port), GET_HEALTH, WHOLE_500MS)).toEqual(expect.objectContaining({ status: "L7RSP" }));
  });

  it("a reset gives `Socket error` with the system's text", async () => {
    const resets = await server(startScriptedServer((socket) => socket.resetAndDestroy()));
    const result = await runHttpCheck(at(resets.port), GET_HEALTH, WHOLE_500MS);
    expect(result).toMatchObject({ status: "SOCKERR", info: "Connection reset by peer" });
  });

  it("a server that closes as soon as it accepts fails the check at once", async () => {
    // Whether the request got there first decides between a reset and a plain close, as in HAProxy.
    const closesAtOnce = await server(startScriptedServer(() => undefined, (socket) => socket.destroy()));
    const result = await runHttpCheck(at(closesAtOnce.port), GET_HEALTH, WHOLE_500MS);
    expect(["SOCKERR", "L7RSP"]).toContain(result.status);
    expect(result.durationMs).toBeLessThan(100);
  });

  it("a server that never answers times out at the check's limit: `Layer7 timeout`", async () => {
    const silent = await server(startScriptedServer(() => undefined));
    const result = await runHttpCheck(at(silent.port), GET_HEALTH, { kind: "whole", totalMs: 300 });
    expect(result.status).toBe("L7TOUT");
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(450);
  });

  it("with `timeout check`, the answer gets `timeout check` after connecting", async () => {
    const silent = await server(startScriptedServer(() => undefined));
    const result = await runHttpCheck(at(silent.port), GET_HEALTH, { kind: "split", connectMs: 1000, responseMs: 200 });
    expect(result.status).toBe("L7TOUT");
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(result.durationMs).toBeLessThan(350);
  });

  it("an incomplete head is still waited for until the limit", async () => {
    const partial = await server(startScriptedServer((socket) => socket.write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n")));
    expect(await runHttpCheck(at(partial.port), GET_HEALTH, { kind: "whole", totalMs: 200 })).toMatchObject({ status: "L7TOUT" });
  });

  it("a closed port is `Layer4 connection problem`, info `Connection refused`", async () => {
    const result = await runHttpCheck(at(await closedPort()), GET_HEALTH, WHOLE_500MS);
    expect(result).toMatchObject({ status: "L4CON", info: "Connection refused" });
    expect(result.durationMs).toBeLessThan(100);
  });

  it("a connection that never completes is `Layer4 timeout` at the connect limit", async () => {
    const result = await runHttpCheck(at(stuck.port), GET_HEALTH, { kind: "split", connectMs: 250, responseMs: 2000 });
    expect(result.status).toBe("L4TOUT");
    expect(result.durationMs).toBeGreaterThanOrEqual(240);
    expect(result.durationMs).toBeLessThan(400);
  });

  it("stops at once, rejecting, when its signal aborts", async () => {
    const silent = await server(startScriptedServer(() => undefined));
    const controller = new AbortController();
    const running = runHttpCheck(at(silent.port), GET_HEALTH, { kind: "whole", totalMs: 5000 }, controller.signal);
    setTimeout(() => controller.abort(new Error("stopped")), 50);
    await expect(running).rejects.toThrow("stopped");
  });
});

describe("TCP check", () => {
  it("passes once connected, sending nothing, even if the server closes right away", async () => {
    const closesAtOnce = await server(startScriptedServer(() => undefined, (socket) => socket.destroy()));
    const result = await runTcpCheck(at(closesAtOnce.port), WHOLE_500MS);
    expect(result.status).toBe("L4OK");
    expect(result.httpCode).toBeUndefined();
    expect(result.info).toBeUndefined();
  });

  it("fails with L4CON on a closed port and L4TOUT when the connection hangs", async () => {
    expect(await runTcpCheck(at(await closedPort()), WHOLE_500MS)).toMatchObject({ status: "L4CON", info: "Connection refused" });
    const result = await runTcpCheck(at(stuck.port), { kind: "whole", totalMs: 200 });
    expect(result.status).toBe("L4TOUT");
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
  });
});

describe("reading a response head", () => {
  it("finds the end of the head with CRLF or bare LF line ends", () => {
    expect(responseHeadLength(Buffer.from("HTTP/1.1 200 OK\r\na: b\r\n\r\nbody"))).toBe(25);
    expect(responseHeadLength(Buffer.from("HTTP/1.1 200 OK\na: b\n\nbody"))).toBe(22);
    expect(responseHeadLength(Buffer.from("HTTP/1.1 200 OK\r\na: b\r\n"))).toBeUndefined();
  });

  it("takes the first status line only, like HAProxy (a 100 Continue fails)", () => {
    expect(judgeResponseHead("HTTP/1.1 100 Continue\r\n\r\n")).toEqual({ status: "L7STS", httpCode: 100, info: "Continue" });
  });

  it("accepts a status without a reason phrase, and leaves info out then", () => {
    expect(judgeResponseHead("HTTP/1.1 503\r\n\r\n")).toEqual({ status: "L7STS", httpCode: 503 });
    expect(judgeResponseHead("HTTP/1.1 503 \r\n\r\n")).toEqual({ status: "L7STS", httpCode: 503 });
    expect(judgeResponseHead("HTTP/1.1 204\r\n\r\n")).toEqual({ status: "L7OK", httpCode: 204 });
  });

  it("rejects a head that is not HTTP", () => {
    expect(judgeResponseHead("SSH-2.0-OpenSSH\r\n\r\n")).toEqual({ status: "L7RSP" });
    expect(judgeResponseHead("HTTP/1.1 20 OK\r\n\r\n")).toEqual({ status: "L7RSP" });
    expect(judgeResponseHead("HTTP/1.1 200 OK\r\nnot a header\r\n\r\n")).toEqual({ status: "L7RSP" });
  });
});
