/**
 * Bytes for the wire: message heads as halb forwards them, and body framing. halb speaks HTTP/1.1
 * to servers and to clients (HTTP/1.0 to an HTTP/1.0 client), writes header names lower-cased as
 * HAProxy 2.x does, and re-frames bodies: llhttp hands over decoded data, so a chunked body is
 * chunked again on the way out.
 */
import { headerValue } from "./wire-parser.js";

/**
 * The headers to forward, as HAProxy 2.6 forwards them: everything, except that the `keep-alive`
 * and `close` tokens leave the `connection` header (the header goes when nothing is left), since
 * each side's persistence is decided separately. Other hop-by-hop headers (`keep-alive`,
 * `proxy-connection`, `te`, tokens such as `upgrade`) pass through, as HAProxy passes them.
 */
export function forwardedHeaders(headers: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (name !== "connection") {
      kept.push(name, value);
      continue;
    }
    const rest = value
      .split(",")
      .map((token) => token.trim())
      .filter((token) => token !== "" && !PERSISTENCE_TOKENS.has(token.toLowerCase()));
    if (rest.length > 0) kept.push(name, rest.join(", "));
  }
  return kept;
}

/** The headers without any named `name` (lower case). */
export function withoutHeader(headers: readonly string[], name: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (headers[i] !== name) kept.push(headers[i]!, headers[i + 1]!);
  return kept;
}

const PERSISTENCE_TOKENS: ReadonlySet<string> = new Set(["keep-alive", "close"]);

/** The request line keeps the client's version, as HAProxy does (HTTP/1.0 stays 1.0). */
export function requestHeadBytes(method: string, url: string, versionMinor: number, headers: readonly string[]): Buffer {
  return Buffer.from(`${method} ${url} HTTP/1.${versionMinor === 0 ? 0 : 1}\r\n${headerLines(headers)}\r\n`, "latin1");
}

export function responseHeadBytes(versionMinor: number, status: number, reason: string, headers: readonly string[]): Buffer {
  return Buffer.from(`HTTP/1.${versionMinor} ${status} ${reason}\r\n${headerLines(headers)}\r\n`, "latin1");
}

function headerLines(headers: readonly string[]): string {
  let text = "";
  for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return text;
}

/** How a body is delimited on the wire. */
export type BodyFraming = "none" | "length" | "chunked" | "until-close";

/**
 * How the message whose head this is frames its body, given that it may have one at all
 * (`bodiless`: a HEAD answer, 1xx/204/304, a request without length).
 */
export function bodyFraming(headers: readonly string[], bodiless: boolean, isRequest: boolean): BodyFraming {
  if (bodiless) return "none";
  const encoding = headerValue(headers, "transfer-encoding");
  if (encoding !== undefined && /(?:^|,)\s*chunked\s*$/i.test(encoding)) return "chunked";
  const length = headerValue(headers, "content-length");
  if (length !== undefined) return Number(length) === 0 ? "none" : "length";
  return isRequest ? "none" : "until-close";
}

const CRLF = Buffer.from("\r\n");
const LAST_CHUNK = Buffer.from("0\r\n\r\n");

/** One data chunk as it goes out under `framing`. */
export function framedChunk(framing: BodyFraming, chunk: Buffer): Buffer[] {
  if (framing !== "chunked") return [chunk];
  return [Buffer.from(`${chunk.length.toString(16)}\r\n`, "latin1"), chunk, CRLF];
}

/** What ends a body under `framing` (trailers are not forwarded). */
export function bodyEnd(framing: BodyFraming): Buffer | null {
  return framing === "chunked" ? LAST_CHUNK : null;
}
