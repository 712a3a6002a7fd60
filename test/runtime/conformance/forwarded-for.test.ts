/**
 * Differential conformance, the request as the origin server receives it (`option forwardfor`):
 * one compiled spec, run under real HAProxy 2.6 and then under `halb run`, same origin. For each
 * client request the test compares the request line and the WHOLE header list the origin got, in
 * order, names lower-cased: X-Forwarded-For's placement and value, every other header kept or
 * dropped alike (hop-by-hop ones included); and that the names come on the wire lower-cased.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileLab, type Lab, LOOPBACK_CLUSTER, type Origin, request, type RequestOptions, type Results, runScenarios, type Scenario, type SeenRequest, startOrigins, valueOf } from "./lab.js";

interface Received {
  readonly requestLine: string;
  /** [name, value] pairs in wire order, names as sent. */
  readonly headers: [string, string][];
  readonly body: string;
  readonly status: number;
}

const CASES: Record<string, RequestOptions> = {
  plain: { path: "/plain?q=1", headers: [["User-Agent", "conformance/1"], ["Accept", "*/*"], ["X-Custom-Header", "Mixed Case Value"]] },
  clientXff: { path: "/xff", headers: [["X-Forwarded-For", "203.0.113.9"], ["Accept", "text/plain"]] },
  twoClientXff: { path: "/xff2", headers: [["x-forwarded-for", "198.51.100.1, 198.51.100.2"], ["Accept", "text/plain"], ["X-FORWARDED-FOR", "203.0.113.9"]] },
  otherClientAddress: { path: "/from", localAddress: "127.0.0.42", headers: [["Accept", "*/*"]] },
  keepAlive: { path: "/keep-alive", keepAlive: true, headers: [["Accept", "*/*"]] },
  post: { method: "POST", path: "/form", headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: "a=1&b=2" },
  hostWithPort: { path: "/port", host: "xff.test:8080", headers: [] },
  hopByHop: {
    path: "/hop",
    keepAlive: true,
    headers: [["Connection", "keep-alive, X-Drop-Me"], ["Keep-Alive", "timeout=5"], ["X-Drop-Me", "1"], ["Proxy-Connection", "keep-alive"], ["TE", "trailers"], ["Upgrade-Insecure-Requests", "1"]],
  },
};

describe("conformance: X-Forwarded-For and the forwarded request, HAProxy 2.6 vs halb run on one compiled spec", () => {
  let origin: Origin;
  let lab: Lab;
  let results: Results;

  beforeAll(async () => {
    [origin] = (await startOrigins("echo")) as [Origin];
    lab = await compileLab((port) => `${LOOPBACK_CLUSTER}
global {
  maxconn 1000
}
defaults {
  mode http
  timeout connect 1s client 5s server 5s
  option forwardfor
}
frontend www {
  bind 127.0.0.1:${port}
  default -> echo
}
backend echo {
  server echo 127.0.0.1:${origin.port}
}
`);
    const scenarios: Record<string, Scenario> = {};
    for (const [name, options] of Object.entries(CASES)) {
      scenarios[name] = async ({ port }): Promise<Received> => {
        const before = origin.requests.length;
        const reply = await request(port, { host: "xff.test", ...options });
        const seen: SeenRequest | undefined = origin.requests[before];
        if (!seen) throw new Error(`the origin received nothing (answer ${reply.status})`);
        const headers: [string, string][] = [];
        for (let i = 0; i < seen.rawHeaders.length; i += 2) headers.push([seen.rawHeaders[i]!, seen.rawHeaders[i + 1]!]);
        return { requestLine: `${seen.method} ${seen.url} HTTP/${seen.httpVersion}`, headers, body: seen.body, status: reply.status };
      };
    }
    results = await runScenarios(lab, [origin], scenarios);
    if (process.env["CONFORMANCE_DEBUG"]) console.log(JSON.stringify(results, null, 1));
  }, 60_000);

  afterAll(async () => {
    await origin?.close();
    lab?.cleanup();
  });

  const lower = (received: Received): Omit<Received, "headers"> & { headers: string[] } => ({
    ...received,
    headers: received.headers.map(([name, value]) => `${name.toLowerCase()}: ${value}`),
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: the origin receives the same request line, header list (names lower-cased) and body`, () => {
      const haproxy = valueOf<Received>(results, "haproxy", name);
      const halb = valueOf<Received>(results, "halb", name);
      // HAProxy appends exactly one X-Forwarded-For line, with the client's address, at the end.
      expect(lower(haproxy).headers.at(-1)).toBe(`x-forwarded-for: ${CASES[name]!.localAddress ?? "127.0.0.1"}`);
      expect(lower(halb)).toEqual(lower(haproxy));
    });
  }

  it("header names reach the origin lower-cased under both, whatever case the client used", () => {
    // Which headers are forwarded is compared above; this is only about their spelling on the wire.
    for (const name of Object.keys(CASES)) {
      for (const kind of ["haproxy", "halb"] as const) {
        const names = valueOf<Received>(results, kind, name).headers.map(([header]) => header);
        expect(names, `${kind}, ${name}`).toEqual(names.map((header) => header.toLowerCase()));
      }
    }
  });
});
