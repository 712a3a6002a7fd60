/**
 * The listening sockets of a running node, kept across reloads: a reload swaps what handles new
 * connections on an address that stays, closes the addresses that went away and opens the new
 * ones, so clients never see a port close for a reload (Node 20 cannot bind a port twice).
 */
import { createServer, type Server, type Socket } from "node:net";

export interface Binding {
  readonly host: string;
  readonly port: number;
  /** A VIP bind: open only while this node is master. */
  readonly onVip: boolean;
  /** For messages: the proxy section that listens here. */
  readonly owner: string;
  readonly handle: (socket: Socket) => void;
  /** Drop connections beyond this many at once (0: no limit). */
  readonly maxConnections: number;
}

interface OpenListener {
  readonly server: Server;
  binding: Binding;
}

export class ListenError extends Error {}

export class ListenerSet {
  readonly #open = new Map<string, OpenListener>();

  /** Makes the set of listening addresses exactly `bindings`. Rejects (leaving new ones closed) if one cannot be opened. */
  async apply(bindings: readonly Binding[]): Promise<void> {
    const wanted = new Map(bindings.map((binding) => [key(binding), binding]));
    const opened: string[] = [];
    try {
      for (const [address, binding] of wanted) {
        const existing = this.#open.get(address);
        if (existing) continue;
        const server = await listen(binding, (socket) => this.#open.get(address)?.binding.handle(socket));
        this.#open.set(address, { server, binding });
        opened.push(address);
      }
    } catch (error) {
      for (const address of opened) {
        this.#open.get(address)?.server.close();
        this.#open.delete(address);
      }
      throw error;
    }
    for (const [address, listener] of this.#open) {
      const binding = wanted.get(address);
      if (!binding) {
        listener.server.close();
        this.#open.delete(address);
        continue;
      }
      listener.binding = binding;
      listener.server.maxConnections = binding.maxConnections > 0 ? binding.maxConnections : Infinity;
    }
  }

  /** Stops accepting everywhere; open connections are not touched. */
  async closeAll(): Promise<void> {
    const closing = [...this.#open.values()].map((listener) => new Promise<void>((resolve) => listener.server.close(() => resolve())));
    this.#open.clear();
    await Promise.all(closing);
  }

  addresses(): string[] {
    return [...this.#open.keys()];
  }

  /** Where each open listener can be reached. */
  targets(): { host: string; port: number }[] {
    return [...this.#open.values()].map(({ binding }) => ({ host: binding.host, port: binding.port }));
  }
}

function key(binding: Pick<Binding, "host" | "port">): string {
  return binding.host.includes(":") ? `[${binding.host}]:${binding.port}` : `${binding.host}:${binding.port}`;
}

function listen(binding: Binding, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: false }, onConnection);
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new ListenError(`${binding.owner}: cannot listen on ${key(binding)}: ${error.code === "EADDRINUSE" ? "address already in use" : error.code === "EADDRNOTAVAIL" ? "address not available on this host" : error.code === "EACCES" ? "permission denied" : error.message}`));
    });
    server.listen({ host: binding.host, port: binding.port, backlog: 1024 }, () => {
      server.removeAllListeners("error");
      server.on("error", () => {});
      resolve(server);
    });
  });
}
