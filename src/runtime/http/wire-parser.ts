/**
 * HTTP/1.x message framing for the data plane, by llhttp: the parser Node's own http module runs,
 * reached through the same binding that module uses (`_http_common`'s HTTPParser, unchanged from
 * Node 20 to 24). Why not `http.createServer` and `http.request`: a proxy built on their objects
 * served 26,000 requests/s here where one driving llhttp over plain sockets served 44,000, and
 * halb must keep up with HAProxy. Parsing stays llhttp's: request smuggling defences, chunked
 * decoding and limits are the ones every Node server relies on.
 *
 * One WireParser reads one direction of one connection: requests from a client, or responses
 * from a server. Header names come out lower-cased (HAProxy 2.x forwards them so), values as
 * Latin-1 strings, one character per byte, so writing them back with "latin1" restores the bytes.
 */
import { createRequire } from "node:module";

interface LlhttpParser {
  initialize(kind: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | LlhttpError;
  finish(): undefined | LlhttpError;
  close(): void;
  [callback: number]: unknown;
}

interface LlhttpError extends Error {
  readonly code: string;
  readonly bytesParsed: number;
  readonly reason?: string;
}

interface LlhttpModule {
  readonly HTTPParser: {
    new (): LlhttpParser;
    readonly REQUEST: number;
    readonly RESPONSE: number;
    readonly kOnHeaders: number;
    readonly kOnHeadersComplete: number;
    readonly kOnBody: number;
    readonly kOnMessageComplete: number;
    readonly kOnExecute: number;
    readonly kOnTimeout: number;
  };
  readonly methods: readonly string[];
}

const { HTTPParser, methods } = createRequire(import.meta.url)("_http_common") as LlhttpModule;

/** HAProxy's default buffer (tune.bufsize 16384) less its rewrite reserve (tune.maxrewrite 1024) holds the headers. */
export const MAX_HEADER_BYTES = 16384 - 1024;

export interface MessageHead {
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly versionMinor: number;
  /** Flat `[name, value, …]`, names lower-cased, in wire order. */
  readonly headers: string[];
  /** llhttp's verdict from the version and `connection` header. */
  readonly keepAlive: boolean;
  /** The message asks to switch protocols (`connection: upgrade`, or CONNECT). */
  readonly upgrade: boolean;
}

export interface RequestHead extends MessageHead {
  readonly method: string;
  readonly url: string;
}

export interface ResponseHead extends MessageHead {
  readonly status: number;
  readonly reason: string;
}

export interface MessageEvents<Head> {
  /** Return true when the message has no body whatever its headers say (the answer to a HEAD). */
  onHead(head: Head): boolean;
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

/** Why llhttp refused the bytes: its code (`HPE_HEADER_OVERFLOW`, `HPE_INVALID_METHOD`, …). */
export interface ParseFailure {
  readonly code: string;
  readonly reason: string;
}

abstract class WireParser<Head> {
  readonly #parser: LlhttpParser;
  #pendingHeaders: string[] = [];
  #pendingUrl = "";

  protected constructor(kind: number, events: MessageEvents<Head>, maxHeaderBytes: number) {
    const parser = new HTTPParser();
    parser.initialize(kind, {}, maxHeaderBytes, 0);
    // llhttp hands over headers in batches of 32 pairs; only the last batch comes with the head.
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      for (const item of headers) this.#pendingHeaders.push(item);
      this.#pendingUrl += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      minor: number,
      headers: string[] | undefined,
      method: number | undefined,
      url: string | undefined,
      status: number | undefined,
      reason: string | undefined,
      upgrade: boolean,
      keepAlive: boolean,
    ): number => {
      let all = headers ?? [];
      if (this.#pendingHeaders.length > 0) {
        all = this.#pendingHeaders.concat(all);
        this.#pendingHeaders = [];
      }
      for (let i = 0; i < all.length; i += 2) all[i] = all[i]!.toLowerCase();
      const fullUrl = this.#pendingUrl + (url ?? "");
      this.#pendingUrl = "";
      const head = this.makeHead(minor, all, method, fullUrl, status, reason, upgrade, keepAlive);
      return events.onHead(head) ? 1 : 0;
    };
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => events.onBody(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => events.onComplete();
    parser[HTTPParser.kOnExecute] = () => {};
    parser[HTTPParser.kOnTimeout] = () => {};
    this.#parser = parser;
  }

  protected abstract makeHead(
    minor: number,
    headers: string[],
    method: number | undefined,
    url: string,
    status: number | undefined,
    reason: string | undefined,
    upgrade: boolean,
    keepAlive: boolean,
  ): Head;

  /**
   * Feeds bytes; events fire synchronously. Returns the failure, or the number of bytes consumed:
   * fewer than given only after an upgrade's head, where the rest belongs to the new protocol.
   */
  execute(data: Buffer): number | ParseFailure {
    const result = this.#parser.execute(data);
    return typeof result === "number" ? result : { code: result.code, reason: result.reason ?? result.message };
  }

  /** The peer closed: ends a body that runs until the connection closes, or reports a truncated message. */
  finish(): ParseFailure | null {
    const result = this.#parser.finish();
    return result === undefined ? null : { code: result.code, reason: result.message };
  }

  close(): void {
    this.#parser.close();
  }
}

export class RequestParser extends WireParser<RequestHead> {
  constructor(events: MessageEvents<RequestHead>, maxHeaderBytes = MAX_HEADER_BYTES) {
    super(HTTPParser.REQUEST, events, maxHeaderBytes);
  }

  protected makeHead(minor: number, headers: string[], method: number | undefined, url: string, _s: unknown, _r: unknown, upgrade: boolean, keepAlive: boolean): RequestHead {
    return { versionMinor: minor, headers, keepAlive, upgrade, method: methods[method ?? 0] ?? "GET", url };
  }
}

export class ResponseParser extends WireParser<ResponseHead> {
  constructor(events: MessageEvents<ResponseHead>, maxHeaderBytes = MAX_HEADER_BYTES) {
    super(HTTPParser.RESPONSE, events, maxHeaderBytes);
  }

  protected makeHead(minor: number, headers: string[], _m: unknown, _u: string, status: number | undefined, reason: string | undefined, upgrade: boolean, keepAlive: boolean): ResponseHead {
    return { versionMinor: minor, headers, keepAlive, upgrade, status: status ?? 0, reason: reason ?? "" };
  }
}

export function isParseFailure(result: number | ParseFailure): result is ParseFailure {
  return typeof result !== "number";
}

/** The value of the first header named `name` (lower case), or undefined. */
export function headerValue(headers: readonly string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}
