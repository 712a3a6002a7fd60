/**
 * `halb run` in `mode tcp` (a `listen` section): the balancing algorithms over whole connections
 * (roundrobin, leastconn, source), bytes passing both ways, half-closes in both directions,
 * connect retries with `option redispatch`, a connection without any server, and the tcplog line
 * (runtime-semantics §1.2, §1.4, §1.5, §1.10; HAProxy's tcplog format, configuration.txt §8.2.2).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, freePort, HalbRun, LOOPBACK_CLUSTER } from "./harness.js";
import { RawClient, row, statsRows, TcpEcho, until } from "./run-kit.js";

const LOG_DATE = String.raw`\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\]`;

describe("halb run in mode tcp", () => {
  const echoes: TcpEcho[] = [];
  let run: HalbRun;
  let cleanup: () => void;
  const ports: Record<string, number> = {};
  let statsPort: number;

  beforeAll(async () => {
    for (const name of ["a", "b", "c"]) echoes.push(await TcpEcho.start(name));
    const [a, b, c] = echoes as [TcpEcho, TcpEcho, TcpEcho];
    for (const name of ["rr", "lc", "src", "retry", "gone", "maint"]) ports[name] = await freePort();
    statsPort = await freePort();
    const dead = await freePort();
    const dead2 = await freePort();
    const servers = `  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}
  server c 127.0.0.1:${c.port}`;
    const compiled = compileSpec(`${LOOPBACK_CLUSTER}
global {
  log 127.0.0.1 local0
}
defaults {
  mode tcp
  log global
  option tcplog
  retries 3
  timeout connect 300ms client 5s server 5s
}
stats {
  bind 127.0.0.1:${statsPort}
  uri /stats
  auth admin pw
}
listen rr {
  bind 127.0.0.1:${ports.rr}
  balance roundrobin
${servers}
}
listen lc {
  bind 127.0.0.1:${ports.lc}
  balance leastconn
${servers}
}
listen src {
  bind 127.0.0.1:${ports.src}
  balance source
${servers}
}
listen retry {
  bind 127.0.0.1:${ports.retry}
  balance roundrobin
  option redispatch
  server dead 127.0.0.1:${dead}
  server a 127.0.0.1:${a.port}
}
listen gone {
  bind 127.0.0.1:${ports.gone}
  retries 1
  server s 127.0.0.1:${dead2}
}
listen maint {
  bind 127.0.0.1:${ports.maint}
  server m 127.0.0.1:${a.port} disabled
}
`);
    cleanup = compiled.cleanup;
    run = await HalbRun.start(compiled.out);
  });

  afterAll(async () => {
    await run?.stop();
    for (const echo of echoes) await echo.close();
    cleanup?.();
  });

  /** Connects, reads the greeting, closes; returns the server's name. */
  async function greetedBy(port: number, localAddress?: string): Promise<string> {
    const client = await RawClient.connect(port, localAddress ? { localAddress } : {});
    await client.waitFor((text) => text.endsWith("\n"), 3000, "the greeting");
    client.socket.end();
    await client.waitClosed(3000);
    return /^hello from (\w+)\n/.exec(client.text)?.[1] ?? `unexpected ${JSON.stringify(client.text)}`;
  }

  function logLines(listen: string): string[] {
    return run.stdout.filter((line) => line.includes(` ${listen} ${listen}/`));
  }

  it("roundrobin: one connection after another goes a, b, c, a, b, c", async () => {
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push(await greetedBy(ports.rr!));
    expect(order).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("passes 4 MB both ways intact and forwards the client's half-close to the server", async () => {
    const payload = randomBytes(4 * 1024 * 1024);
    const client = await RawClient.connect(ports.rr!);
    client.socket.end(payload);
    await client.waitClosed(10_000);
    const data = client.data;
    const greeting = /^hello from (\w+)\n/.exec(data.subarray(0, 20).toString("latin1"));
    expect(greeting).not.toBeNull();
    const name = greeting![1]!;
    const head = Buffer.from(`hello from ${name}\n`);
    const tail = Buffer.from(`bye from ${name}\n`);
    expect(data.length).toBe(head.length + payload.length + tail.length);
    expect(data.subarray(0, head.length).equals(head)).toBe(true);
    expect(data.subarray(head.length, head.length + payload.length).equals(payload)).toBe(true);
    // The bye is the server's answer to the client's FIN: the half-close got through, and the server could still send after it.
    expect(data.subarray(head.length + payload.length).equals(tail)).toBe(true);
    const echo = echoes.find((e) => e.name === name)!;
    const seen = echo.connections.at(-1)!;
    expect(seen.received.equals(payload)).toBe(true);
    expect(seen.ended).toBe(true);
  });

  // HAProxy shuts each direction on its own: a server's FIN closes the way to the client only, and
  // the session lives on half-closed (bounded by `timeout server-fin` / `client-fin`).
  it("forwards the server's half-close to the client and still carries the client's bytes after it", async () => {
    const client = await RawClient.connect(ports.rr!);
    await client.waitFor((text) => text.endsWith("\n"), 3000, "the greeting");
    const name = /^hello from (\w+)\n/.exec(client.text)![1]!;
    const echo = echoes.find((e) => e.name === name)!;
    client.write("SHUT\n");
    // The server closed its output: the client sees the end of the stream…
    await until(() => client.ended, 3000, "the server's FIN at the client", () => `client got ${JSON.stringify(client.text)}, closed ${client.closed}`);
    expect(client.closed).toBe(false);
    // …and can still talk to the server.
    client.socket.end("after the server's FIN\n");
    await client.waitClosed(3000);
    const seen = echo.connections.at(-1)!;
    await until(() => seen.ended, 3000, "the client's FIN at the server", () => JSON.stringify(seen.received.toString()));
    expect(seen.received.toString()).toBe("SHUT\nafter the server's FIN\n");
    expect(client.text).toBe(`hello from ${name}\n`);
  });

  it("leastconn: a new connection goes to the server with the fewest, ties in declaration order", async () => {
    const held: RawClient[] = [];
    const servedBy = async (): Promise<string> => {
      const client = await RawClient.connect(ports.lc!);
      await client.waitFor((text) => text.endsWith("\n"), 3000, "the greeting");
      held.push(client);
      return /^hello from (\w+)\n/.exec(client.text)![1]!;
    };
    try {
      expect([await servedBy(), await servedBy(), await servedBy(), await servedBy()]).toEqual(["a", "b", "c", "a"]);
      // Close the one on b: b has 0, the others 1 or 2.
      const onB = held[1]!;
      onB.socket.end();
      await onB.waitClosed(3000);
      await until(async () => row(await statsRows(statsPort, "/stats", "admin", "pw"), "lc", "b").scur === "0", 3000, "b to have no connection");
      // Then b (0), and among equals the one whose count changed first: c (1 since the third), then b.
      expect([await servedBy(), await servedBy(), await servedBy()]).toEqual(["b", "c", "b"]);
    } finally {
      for (const client of held) client.destroy();
    }
  });

  it("source: the client address picks the server (sdbm map: address % 3 over a, b, c), always the same", async () => {
    const expected = (ip: string): string => {
      const n = ip.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
      return ["a", "b", "c"][n % 3]!;
    };
    for (const ip of ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.1", "127.0.0.2", "127.0.0.3"]) {
      expect(`${ip} -> ${await greetedBy(ports.src!, ip)}`).toBe(`${ip} -> ${expected(ip)}`);
    }
  });

  it("retries a refused connection on the next server (redispatch) and logs the retry with +", async () => {
    const before = logLines("retry").length;
    for (let i = 0; i < 4; i++) expect(await greetedBy(ports.retry!)).toBe("a");
    await run.waitFor(() => logLines("retry").length >= before + 4, 3000, "four retry log lines");
    const lines = logLines("retry").slice(before);
    for (const line of lines) expect(line).toMatch(/ retry retry\/a \d+\/\d+\/\d+ 24 -- \d+\/\d+\/\d+\/\d+\/(0|\+1) 0\/0$/);
    // roundrobin over [dead, a] picks dead every other time at least; each of those is redispatched.
    expect(lines.filter((line) => line.includes("/+1 0/0")).length).toBeGreaterThanOrEqual(2);
  });

  it("closes the connection without a byte when every attempt is refused, logging SC", async () => {
    const client = await RawClient.connect(ports.gone!);
    const port = client.socket.localPort!;
    const started = performance.now();
    await client.waitEnded(5000);
    expect(client.length).toBe(0);
    // retries 1: two attempts, with the turn-around pause of min(timeout connect, 1 s) between them.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    await run.waitFor(() => logLines("gone").length > 0, 3000, "the gone log line");
    expect(logLines("gone")[0]).toMatch(new RegExp(String.raw`^127\.0\.0\.1:${port} ${LOG_DATE} gone gone/s \d+/-1/\d+ 0 SC \d+/\d+/\d+/\d+/1 0/0$`));
  });

  it("closes the connection at once when no server is usable, logging <NOSRV> and SC", async () => {
    const client = await RawClient.connect(ports.maint!);
    const port = client.socket.localPort!;
    await client.waitEnded(3000);
    expect(client.length).toBe(0);
    await run.waitFor(() => run.stdout.some((line) => line.includes(" maint maint/")), 3000, "the maint log line");
    expect(run.stdout.find((line) => line.includes(" maint maint/"))).toMatch(
      new RegExp(String.raw`^127\.0\.0\.1:${port} ${LOG_DATE} maint maint/<NOSRV> -1/-1/\d+ 0 SC \d+/\d+/\d+/\d+/0 0/0$`),
    );
  });

  it("logs one tcplog line per connection: client, date, listen, server, timers, bytes to the client, flags, counts", async () => {
    const client = await RawClient.connect(ports.rr!);
    const port = client.socket.localPort!;
    await client.waitFor((text) => text.endsWith("\n"), 3000, "the greeting");
    client.socket.end("0123456789");
    await client.waitClosed(3000);
    const name = /^hello from (\w+)\n/.exec(client.text)![1]!;
    const bytes = client.length;
    expect(bytes).toBe(`hello from ${name}\n0123456789bye from ${name}\n`.length);
    await run.waitFor(() => run.stdout.some((line) => line.startsWith(`127.0.0.1:${port} `)), 3000, "the log line");
    const line = run.stdout.find((l) => l.startsWith(`127.0.0.1:${port} `))!;
    expect(line).toMatch(new RegExp(String.raw`^127\.0\.0\.1:${port} ${LOG_DATE} rr rr/${name} \d+/\d+/\d+ ${bytes} -- \d+/\d+/\d+/\d+/0 0/0$`));
  });
});
