/**
 * `option httpchk` + `http-check send meth M uri U` [+ `http-check expect status N`], as HAProxy 2.6
 * runs it: it sends exactly `M U HTTP/1.0\r\n\r\n` (no header at all, checked on the wire against
 * 2.6.12), waits for the complete response head, and judges the first status line only: 2xx and 3xx
 * pass unless an expected status is set, which must then match exactly. A `100 Continue` therefore
 * fails, as it does in HAProxy. The body is never waited for.
 */
import type { CheckTimeLimits } from "./check-limits.js";
import { type CheckEndpoint, type CheckVerdict, checkOverSocket } from "./check-socket.js";
import type { CheckResult } from "./check-status.js";

export interface HttpCheckRequest {
  readonly method: string;
  readonly path: string;
  /** `http-check expect status N`: only N passes. Without it, 200–399 pass. */
  readonly expectStatus?: number;
}

/** HAProxy's check buffer (tune.bufsize): a response head that does not fit is invalid. */
const MAX_RESPONSE_HEAD_BYTES = 16_384;

export function httpCheckRequestText(request: HttpCheckRequest): string {
  return `${request.method} ${request.path} HTTP/1.0\r\n\r\n`;
}

export function runHttpCheck(
  endpoint: CheckEndpoint,
  request: HttpCheckRequest,
  limits: CheckTimeLimits,
  signal?: AbortSignal,
): Promise<CheckResult> {
  return checkOverSocket(
    endpoint,
    limits,
    (socket, finish) => {
      let received = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const headLength = responseHeadLength(received);
        if (headLength !== undefined) finish(judgeResponseHead(received.subarray(0, headLength).toString("latin1"), request.expectStatus));
        else if (received.length > MAX_RESPONSE_HEAD_BYTES) finish({ status: "L7RSP" });
      });
      // Closed before a complete head: "Layer7 invalid response", whatever was received.
      socket.on("end", () => finish({ status: "L7RSP" }));
      socket.write(httpCheckRequestText(request));
    },
    signal,
  );
}

/** Bytes up to the blank line ending the head (CRLF or bare LF line ends), or undefined while incomplete. */
export function responseHeadLength(bytes: Buffer): number | undefined {
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) {
    if (bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return undefined;
}

const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/;
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/;

/** The verdict on a complete response head (status line and header lines, without the final blank line's meaning). */
export function judgeResponseHead(head: string, expectStatus?: number): CheckVerdict {
  const lines = head.split("\n").map((line) => line.replace(/\r$/, ""));
  const statusLine = STATUS_LINE.exec(lines[0] ?? "");
  const headerLines = lines.slice(1).filter((line) => line !== "");
  if (!statusLine || !headerLines.every((line) => HEADER_LINE.test(line))) return { status: "L7RSP" };
  const httpCode = Number(statusLine[1]);
  const reason = statusLine[2] ?? "";
  const passed = expectStatus === undefined ? httpCode >= 200 && httpCode < 400 : httpCode === expectStatus;
  if (passed) return { status: "L7OK", httpCode };
  // HAProxy quotes the reason phrase as the failure's info, and leaves info out when there is none.
  return reason === "" ? { status: "L7STS", httpCode } : { status: "L7STS", httpCode, info: reason };
}
