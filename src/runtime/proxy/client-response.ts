/**
 * How a server's final response goes on to the client, as HAProxy's H1 side frames it: the body's
 * framing (a body of unknown length is chunked for an HTTP/1.1 client; HTTP/1.0 has no chunked
 * encoding, so a chunked body reaches it as it is, ended by the close) and whether the client
 * connection stays open (`connection: close` / `keep-alive` as the client's version needs).
 */
import { bodyFraming, type BodyFraming, withoutHeader } from "../http/message-writer.js";
import type { RequestHead, ResponseHead } from "../http/wire-parser.js";

export interface ClientResponse {
  /** The headers to send (the forwarded ones, with what framing and persistence need). */
  readonly headers: string[];
  /** How the body goes to the client. */
  readonly framing: BodyFraming;
  readonly keepAlive: boolean;
  /** halb chunks a body of unknown length: the server connection cannot be reused after it. */
  readonly chunkedByHalb: boolean;
}

/**
 * `headers` are the response headers already forwarded (cookies done); `keepAlive` is whether the
 * client connection may stay open as far as the request and the process are concerned.
 */
export function clientResponse(request: RequestHead, response: ResponseHead, headers: string[], keepAlive: boolean): ClientResponse {
  const bodiless = request.method === "HEAD" || response.status === 204 || response.status === 304 || response.status === 101;
  let framing = bodyFraming(response.headers, bodiless, false);
  let chunkedByHalb = false;
  if (response.status === 101) return { headers, framing, keepAlive: false, chunkedByHalb };
  if (framing === "until-close") {
    if (request.versionMinor >= 1) {
      headers.push("transfer-encoding", "chunked");
      framing = "chunked";
      chunkedByHalb = true;
    } else keepAlive = false;
  } else if (framing === "chunked" && request.versionMinor === 0) {
    headers = withoutHeader(headers, "transfer-encoding");
    framing = "until-close";
    keepAlive = false;
  }
  if (!keepAlive) headers.push("connection", "close");
  else if (request.versionMinor === 0) headers.push("connection", "keep-alive");
  return { headers, framing, keepAlive, chunkedByHalb };
}
