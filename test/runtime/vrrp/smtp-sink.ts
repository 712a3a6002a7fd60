/**
 * A real SMTP server on 127.0.0.1 (an ephemeral port) that keeps every message it is given, with
 * its envelope and its headers and body split apart, so the notify tests can check what
 * Keepalived's alert would carry. It offers STARTTLS-free, AUTH-free plain SMTP, like the
 * relays Keepalived is usually pointed at.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** Header names lower-cased, folded lines unfolded. */
  readonly headers: ReadonlyMap<string, string>;
  /** The body exactly as sent (CRLF line ends). */
  readonly body: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Resolves once `count` messages have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const split = raw.indexOf("\r\n\r\n");
        const head = split < 0 ? raw : raw.slice(0, split);
        const body = split < 0 ? "" : raw.slice(split + 4);
        const headers = new Map<string, string>();
        for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
          const colon = line.indexOf(":");
          if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
        }
        const { mailFrom, rcptTo } = session.envelope;
        received.push({ mailFrom: mailFrom ? mailFrom.address : "", rcptTo: rcptTo.map((to) => to.address), headers, body });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    async waitFor(count) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
