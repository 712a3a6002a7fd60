/** How a server's response is framed for the client (HAProxy's H1 rules). */
import { describe, expect, it } from "vitest";
import type { RequestHead, ResponseHead } from "../../../src/runtime/http/wire-parser.js";
import { clientResponse } from "../../../src/runtime/proxy/client-response.js";

const request = (versionMinor: number, method = "GET"): RequestHead => ({ method, url: "/", versionMinor, headers: [], keepAlive: true, upgrade: false });
const response = (status: number, headers: string[]): ResponseHead => ({ status, reason: "OK", versionMinor: 1, headers, keepAlive: true, upgrade: false });

describe("clientResponse", () => {
  it("passes a body with a length as it is and keeps an HTTP/1.1 client", () => {
    const plan = clientResponse(request(1), response(200, ["content-length", "5"]), ["content-length", "5"], true);
    expect(plan).toEqual({ headers: ["content-length", "5"], framing: "length", keepAlive: true, chunkedByHalb: false });
  });

  it("chunks a body of unknown length for HTTP/1.1, so the client connection can go on", () => {
    const plan = clientResponse(request(1), response(200, []), [], true);
    expect(plan).toEqual({ headers: ["transfer-encoding", "chunked"], framing: "chunked", keepAlive: true, chunkedByHalb: true });
  });

  it("sends an HTTP/1.0 client a chunked body as it is, ended by the close", () => {
    const plan = clientResponse(request(0), response(200, ["transfer-encoding", "chunked"]), ["transfer-encoding", "chunked"], true);
    expect(plan).toEqual({ headers: ["connection", "close"], framing: "until-close", keepAlive: false, chunkedByHalb: false });
  });

  it("says keep-alive to an HTTP/1.0 client that keeps its connection, close when it does not", () => {
    expect(clientResponse(request(0), response(200, ["content-length", "0"]), ["content-length", "0"], true).headers).toEqual(["content-length", "0", "connection", "keep-alive"]);
    expect(clientResponse(request(1), response(200, ["content-length", "0"]), ["content-length", "0"], false).headers).toEqual(["content-length", "0", "connection", "close"]);
  });

  it("expects no body after HEAD, 204 and 304, and leaves a 101 to the tunnel", () => {
    expect(clientResponse(request(1, "HEAD"), response(200, ["content-length", "9"]), [], true).framing).toBe("none");
    expect(clientResponse(request(1), response(304, []), [], true).framing).toBe("none");
    expect(clientResponse(request(1), response(101, ["connection", "upgrade"]), ["connection", "upgrade"], true)).toEqual({
      headers: ["connection", "upgrade"],
      framing: "none",
      keepAlive: false,
      chunkedByHalb: false,
    });
  });
});
