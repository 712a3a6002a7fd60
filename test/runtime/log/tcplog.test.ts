import { describe, expect, it } from "vitest";
import { formatTcpLog, formatTcpLogJson, type TcpLogRecord } from "../../../src/runtime/log/tcplog.js";

const record: TcpLogRecord = {
  clientAddress: "127.0.0.1",
  clientPort: 60020,
  acceptDate: new Date(2026, 10, 25, 2, 19, 0, 729).getTime(),
  frontend: "tc",
  backend: "tc",
  server: "t1",
  timers: { queue: 1, connect: 0, total: 1 },
  bytesSent: 185,
  termination: { cause: "-", phase: "-" },
  connections: { process: 1, frontend: 1, backend: 0, server: 0 },
  retries: 0,
  redispatched: false,
  queues: { server: 0, backend: 0 },
};

describe("formatTcpLog", () => {
  it("writes HAProxy's tcplog layout", () => {
    expect(formatTcpLog(record)).toBe("127.0.0.1:60020 [25/Nov/2026:02:19:00.729] tc tc/t1 1/0/1 185 -- 1/1/0/0/0 0/0");
  });

  it("prints -1 for stages not reached, two termination characters, + after a redispatch", () => {
    const line = formatTcpLog({
      ...record,
      server: "<NOSRV>",
      timers: { queue: null, connect: null, total: 3002 },
      bytesSent: 0,
      termination: { cause: "s", phase: "C", requestCookie: "N" },
      retries: 2,
      redispatched: true,
    });
    expect(line).toBe("127.0.0.1:60020 [25/Nov/2026:02:19:00.729] tc tc/<NOSRV> -1/-1/3002 0 sC 1/1/0/0/+2 0/0");
  });

  it("has a JSON variant with the same fields", () => {
    expect(JSON.parse(formatTcpLogJson(record))).toMatchObject({
      client_ip: "127.0.0.1",
      client_port: 60020,
      frontend_name: "tc",
      backend_name: "tc",
      server_name: "t1",
      time_queue: 1,
      time_connect: 0,
      time_total: 1,
      bytes_sent: 185,
      termination_state: "--",
      actconn: 1,
      srv_queue: 0,
    });
  });
});
