/**
 * Two sockets joined byte for byte: a `mode tcp` session, or an HTTP connection after `101
 * Switching Protocols` (WebSocket). `timeout tunnel` (else the side's own timeouts) closes both
 * after that long without traffic in either direction; either side closing half-closes the other.
 */
import type { Socket } from "node:net";

export interface TunnelOptions {
  /** Inactivity limit in ms, both directions together; 0 for none. */
  readonly timeoutMs: number;
  /** Bytes already read from either side that belong to the tunnel. */
  readonly fromClient?: Buffer | null;
  readonly fromServer?: Buffer | null;
  /** Called once when both sockets are closed, with what ended it and the bytes moved. */
  readonly onClose?: (outcome: TunnelOutcome) => void;
}

export interface TunnelOutcome {
  /** Who ended it: the client, the server, the inactivity timer, or an error. */
  readonly endedBy: "client" | "server" | "timeout" | "client-error" | "server-error";
  readonly bytesFromClient: number;
  readonly bytesFromServer: number;
}

export function runTunnel(client: Socket, server: Socket, options: TunnelOptions): void {
  let endedBy: TunnelOutcome["endedBy"] | null = null;
  let bytesFromClient = 0;
  let bytesFromServer = 0;
  let lastTraffic = performance.now();
  let open = 2;
  const settle = (by: TunnelOutcome["endedBy"]): void => {
    endedBy ??= by;
  };
  const pipe = (from: Socket, to: Socket, count: (n: number) => void): void => {
    from.on("data", (chunk: Buffer) => {
      lastTraffic = performance.now();
      count(chunk.length);
      if (!to.write(chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    });
    from.on("end", () => to.end());
  };
  if (options.fromClient) {
    bytesFromClient += options.fromClient.length;
    server.write(options.fromClient);
  }
  if (options.fromServer) {
    bytesFromServer += options.fromServer.length;
    client.write(options.fromServer);
  }
  pipe(client, server, (n) => (bytesFromClient += n));
  pipe(server, client, (n) => (bytesFromServer += n));
  client.once("end", () => settle("client"));
  server.once("end", () => settle("server"));
  client.on("error", () => {
    settle("client-error");
    server.destroy();
  });
  server.on("error", () => {
    settle("server-error");
    client.destroy();
  });
  let timer: NodeJS.Timeout | null = null;
  if (options.timeoutMs > 0) {
    const check = (): void => {
      const idle = performance.now() - lastTraffic;
      if (idle >= options.timeoutMs) {
        settle("timeout");
        client.destroy();
        server.destroy();
        return;
      }
      timer = setTimeout(check, options.timeoutMs - idle);
    };
    timer = setTimeout(check, options.timeoutMs);
  }
  const closed = (): void => {
    open -= 1;
    if (open > 0) return;
    if (timer) clearTimeout(timer);
    options.onClose?.({ endedBy: endedBy ?? "client", bytesFromClient, bytesFromServer });
  };
  client.once("close", closed);
  server.once("close", closed);
  client.resume();
  server.resume();
}
