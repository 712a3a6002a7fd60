/**
 * Differential tests: real HAProxy 2.6 is the oracle. Each case declares a backend and a script of
 * client actions; the script runs against HAProxy (requests over 127.0.0.1, held requests, admin
 * socket changes) and against `createBalancer`, and the two traces of chosen servers must match.
 * Nothing here states an expected order: HAProxy's answers are the expectation.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConsistentRing } from "../../../src/runtime/balance/consistent-ring.js";
import { fullHash, sourceHash } from "../../../src/runtime/balance/index.js";
import { scaledWeight, trackServers } from "../../../src/runtime/balance/lb-server.js";
import { fakeServers, type FakeServer } from "./fake-servers.js";
import { HaproxyLab, type LabBackend } from "./haproxy-lab.js";
import { traceOnHaproxy, traceOnModel, type Step } from "./scripts.js";

interface Case {
  readonly backend: LabBackend;
  readonly steps: readonly Step[];
}

const weighted = (name: string, balance: string, weights: readonly number[]): LabBackend => ({
  name,
  balance,
  servers: weights.map((weight, index) => ({ name: `s${index + 1}`, weight })),
});

/** Clients 127.0.0.1 … 127.0.0.n, then a few over IPv6 and over the IPv6 socket bound to ::ffff:127.0.0.1. */
const manyClients = (count: number): Step[] => [
  ...Array.from({ length: count }, (_, index): Step => ({ request: 1, client: { localAddress: `127.0.0.${index + 1}` } })),
  { request: 2, client: { listener: "ipv6", localAddress: "::1" } },
  ...Array.from({ length: 6 }, (_, index): Step => ({ request: 1, client: { listener: "ipv4-mapped", localAddress: `127.0.0.${index * 37 + 3}` } })),
];

const PATHS = [
  // HAProxy's own regtest vectors (reg-tests/balance/balance-uri.vtc).
  "/url1",
  "/url1?ignore=this-arg",
  "/url2",
  "/url3",
  "/url4",
  "/",
  "/index.html",
  "/a%20b/c%C3%A9",
  "/static/app.js?v=12&x=y",
  "/api/v1/users/42/orders?page=2",
  "http://example.test/absolute/form",
  `/${"long/".repeat(60)}end`,
  ...Array.from({ length: 30 }, (_, index) => `/p/${index * 7919}/item-${index}`),
];
const everyPath = (paths: readonly string[]): Step[] => paths.map((path): Step => ({ request: 1, client: { path } }));

const holds = (...tokens: string[]): Step[] => tokens.map((hold): Step => ({ hold }));
const releases = (...tokens: string[]): Step[] => tokens.map((release): Step => ({ release }));

const CASES: readonly Case[] = [
  // ── roundrobin ──
  ...[
    [6, 3, 1],
    [6, 3],
    [3, 2, 1],
    [1, 1, 1],
    [5, 3, 2],
    [1, 2, 3, 4, 5],
    [256, 1, 100, 7],
    [2, 0, 1],
    [1],
  ].map((weights): Case => ({ backend: weighted(`rr_${weights.join("_")}`, "roundrobin", weights), steps: [{ request: Math.min(3 * weights.reduce((a, b) => a + b, 0), 120) }] })),
  // Uneven weights whose window (16 × Σweight picks) does not split exactly by weight.
  { backend: weighted("rr_4_8_7_window", "roundrobin", [4, 8, 7]), steps: [{ request: 16 * 19 + 20 }] },
  {
    backend: {
      name: "rr_first_backup",
      balance: "roundrobin",
      servers: [
        { name: "a1", disabled: true },
        { name: "a2", disabled: true },
        { name: "b1", backup: true },
        { name: "b2", backup: true, weight: 3 },
      ],
    },
    steps: [{ request: 6 }, { server: "b1", state: "maint" }, { request: 6 }, { server: "a2", state: "ready" }, { request: 3 }, { server: "a2", state: "maint" }, { server: "b1", state: "ready" }, { request: 4 }],
  },
  {
    backend: {
      name: "rr_allbackups",
      balance: "roundrobin",
      options: ["allbackups"],
      servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true, weight: 2 }, { name: "b2", backup: true }, { name: "b3", backup: true }],
    },
    steps: [{ request: 12 }, { server: "b2", state: "maint" }, { request: 6 }, { server: "b2", state: "ready" }, { request: 12 }],
  },
  {
    backend: weighted("rr_changes", "roundrobin", [3, 2, 1, 1]),
    steps: [
      { request: 5 },
      { server: "s2", state: "maint" },
      { request: 6 },
      { server: "s2", state: "ready" },
      { request: 14 },
      { server: "s1", weight: 1 },
      { request: 10 },
      { server: "s3", state: "drain" },
      { request: 7 },
      { server: "s3", state: "ready" },
      { request: 10 },
      { server: "s4", weight: 5 },
      { request: 12 },
      { server: "s1", weight: 0 },
      { request: 8 },
      { server: "s1", weight: 2 },
      { request: 20 },
    ],
  },
  {
    backend: { name: "rr_maxconn", balance: "roundrobin", servers: [{ name: "s1", weight: 3, maxconn: 1 }, { name: "s2", weight: 2, maxconn: 2 }, { name: "s3", weight: 1, maxconn: 1 }] },
    steps: [
      ...holds("h1", "h2", "h3", "h4", "h5"),
      ...releases("h2"),
      ...holds("h6"),
      ...releases("h1", "h5"),
      ...holds("h7", "h8"),
      ...releases("h3", "h4", "h6", "h7", "h8"),
      { request: 12 },
    ],
  },
  // ── static-rr ──
  ...[
    [6, 3, 1],
    [3, 2, 1],
    [5, 3, 2],
    [4, 2, 6],
    [2, 0, 1],
  ].map((weights): Case => ({ backend: weighted(`srr_${weights.join("_")}`, "static-rr", weights), steps: [{ request: 3 * weights.reduce((a, b) => a + b, 0) }] })),
  {
    // Only the first backup should serve, yet a later backup twice as heavy takes the map's slots.
    backend: { name: "srr_backup_weights", balance: "static-rr", servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true, weight: 2 }, { name: "b2", backup: true, weight: 4 }] },
    steps: [{ request: 8 }],
  },
  {
    backend: { name: "srr_allbackups", balance: "static-rr", options: ["allbackups"], servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true, weight: 2 }, { name: "b2", backup: true }] },
    steps: [{ request: 9 }, { server: "a1", state: "ready" }, { request: 3 }],
  },
  {
    backend: weighted("srr_changes", "static-rr", [3, 2, 1]),
    steps: [{ request: 4 }, { server: "s2", state: "maint" }, { request: 5 }, { server: "s2", state: "ready" }, { request: 8 }, { server: "s3", weight: 0 }, { request: 6 }, { server: "s3", weight: 1 }, { request: 9 }],
  },
  {
    backend: { name: "srr_maxconn", balance: "static-rr", servers: [{ name: "s1", weight: 2, maxconn: 1 }, { name: "s2", weight: 1, maxconn: 1 }, { name: "s3", weight: 1 }] },
    steps: [...holds("h1", "h2", "h3", "h4"), ...releases("h1"), ...holds("h5", "h6"), ...releases("h2", "h3", "h4", "h5", "h6"), { request: 8 }],
  },
  // ── first ──
  { backend: weighted("first_plain", "first", [1, 5, 1]), steps: [{ request: 6 }, { server: "s1", state: "maint" }, { request: 4 }, { server: "s1", state: "ready" }, { request: 3 }] },
  {
    backend: { name: "first_ids", balance: "first", servers: [{ name: "a", id: 3 }, { name: "b", id: 1 }, { name: "c", id: 2 }] },
    steps: [{ request: 3 }, { server: "b", state: "maint" }, { request: 3 }, { server: "c", state: "drain" }, { request: 3 }],
  },
  {
    backend: { name: "first_maxconn", balance: "first", servers: [{ name: "s1", maxconn: 2 }, { name: "s2", maxconn: 1 }, { name: "s3", maxconn: 2 }] },
    steps: [...holds("h1", "h2", "h3", "h4", "h5", "h6"), ...releases("h3"), ...releases("h1"), ...holds("h7"), ...releases("h2", "h4", "h5", "h6", "h7"), { request: 3 }],
  },
  {
    backend: { name: "first_backup", balance: "first", servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true, maxconn: 1 }, { name: "b2", backup: true }] },
    steps: [{ request: 3 }, { server: "b1", state: "maint" }, { request: 3 }],
  },
  // ── leastconn ──
  { backend: weighted("lc_1_1_1", "leastconn", [1, 1, 1]), steps: [{ request: 9 }] },
  {
    backend: weighted("lc_3_2_1", "leastconn", [3, 2, 1]),
    steps: [
      ...holds("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"),
      ...releases("h2", "h5"),
      ...holds("h9", "h10"),
      { request: 4 },
      ...releases("h1", "h3", "h4"),
      ...holds("h11", "h12", "h13"),
      ...releases("h6", "h7", "h8", "h9", "h10", "h11", "h12", "h13"),
      { request: 6 },
    ],
  },
  {
    backend: { name: "lc_maxconn", balance: "leastconn", servers: [{ name: "s1", maxconn: 1 }, { name: "s2", maxconn: 2 }, { name: "s3", weight: 2, maxconn: 2 }] },
    steps: [...holds("h1", "h2", "h3", "h4", "h5", "h6"), ...releases("h4"), ...holds("h7"), ...releases("h1", "h2", "h3", "h5", "h6", "h7"), { request: 4 }],
  },
  {
    backend: weighted("lc_changes", "leastconn", [1, 1, 1, 2]),
    steps: [
      ...holds("h1", "h2", "h3"),
      { server: "s2", state: "maint" },
      ...holds("h4", "h5"),
      { server: "s2", state: "ready" },
      ...holds("h6"),
      { server: "s4", weight: 1 },
      ...holds("h7", "h8"),
      ...releases("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"),
      { request: 5 },
    ],
  },
  {
    backend: { name: "lc_backups", balance: "leastconn", servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true }, { name: "b2", backup: true }] },
    steps: [...holds("h1", "h2"), { server: "b1", state: "maint" }, ...holds("h3"), { server: "a1", state: "ready" }, ...holds("h4"), ...releases("h1", "h2", "h3", "h4")],
  },
  {
    backend: { name: "lc_allbackups", balance: "leastconn", options: ["allbackups"], servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true }, { name: "b2", backup: true, weight: 2 }] },
    steps: [...holds("h1", "h2", "h3", "h4"), ...releases("h1", "h2", "h3", "h4"), { request: 4 }],
  },
  // ── source ──
  { backend: weighted("src_1_1_1", "source", [1, 1, 1]), steps: manyClients(40) },
  { backend: weighted("src_6_3_1", "source", [6, 3, 1]), steps: manyClients(40) },
  { backend: weighted("src_4_2_6_0", "source", [4, 2, 6, 0]), steps: manyClients(30) },
  {
    backend: weighted("src_changes", "source", [1, 2, 1]),
    steps: [...manyClients(12), { server: "s2", state: "maint" }, ...manyClients(12), { server: "s2", state: "ready" }, ...manyClients(12)],
  },
  { backend: { name: "src_single", balance: "source", servers: [{ name: "s1", disabled: true }, { name: "s2" }, { name: "s3", disabled: true }] }, steps: manyClients(5) },
  {
    backend: { name: "src_backups", balance: "source", servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true }, { name: "b2", backup: true, weight: 2 }] },
    steps: [...manyClients(6), { server: "b1", state: "maint" }, ...manyClients(6)],
  },
  // ── uri ──
  { backend: weighted("uri_1_1_1_1", "uri", [1, 1, 1, 1]), steps: everyPath(PATHS) },
  { backend: weighted("uri_6_3_1", "uri", [6, 3, 1]), steps: everyPath(PATHS) },
  {
    backend: { name: "uri_allbackups", balance: "uri", options: ["allbackups"], servers: [{ name: "a1", disabled: true }, { name: "b1", backup: true }, { name: "b2", backup: true, weight: 3 }] },
    steps: everyPath(PATHS),
  },
  {
    backend: weighted("uri_changes", "uri", [2, 1, 1]),
    steps: [...everyPath(PATHS.slice(0, 15)), { server: "s1", state: "maint" }, ...everyPath(PATHS.slice(0, 15)), { server: "s1", state: "ready" }, ...everyPath(PATHS.slice(0, 15))],
  },
];


/**
 * `balance random` draws from HAProxy's consistent-hash ring, which nothing deterministic exposes;
 * `balance source` with `hash-type consistent sdbm avalanche` looks clients up on the very same ring
 * (full_hash of the address), so it checks the ring's point placement and closest-point lookup.
 */
const RING_BACKEND: LabBackend = {
  name: "ring_source",
  balance: "source",
  extraLines: ["hash-type consistent sdbm avalanche"],
  servers: [
    { name: "s1", weight: 1 },
    { name: "s2", weight: 3 },
    { name: "s3", weight: 2, id: 7 },
    { name: "s4", weight: 5 },
  ],
};
const RING_CLIENTS = Array.from({ length: 60 }, (_, index) => `127.${(index * 37) % 256}.${(index * 91) % 256}.${((index * 13) % 253) + 1}`);

describe("server selection matches HAProxy 2.6", () => {
  let lab: HaproxyLab;

  beforeAll(async () => {
    lab = await HaproxyLab.start([...CASES.map((testCase) => testCase.backend), RING_BACKEND]);
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
  });

  test.each(CASES.map((testCase) => [`${testCase.backend.balance} ${testCase.backend.name}`, testCase] as const))(
    "%s",
    async (_name, testCase) => {
      const fromHaproxy = await traceOnHaproxy(lab, testCase.backend, testCase.steps);
      expect(traceOnModel(testCase.backend, testCase.steps)).toEqual(fromHaproxy);
    },
    60_000,
  );

  test("random's hash ring places servers and finds the closest point like HAProxy's", async () => {
    const fromHaproxy: string[] = [];
    for (const localAddress of RING_CLIENTS) fromHaproxy.push(await lab.request(RING_BACKEND.name, { localAddress }));
    const servers = trackServers(
      fakeServers(Object.fromEntries(RING_BACKEND.servers.map((server) => [server.name, { weight: server.weight ?? 1, ...(server.id === undefined ? {} : { id: server.id }) }]))),
      (view) => scaledWeight(view.weight),
    );
    const ring = new ConsistentRing<FakeServer>();
    for (const server of servers) ring.setPointCount(server, server.eweight);
    const fromRing = RING_CLIENTS.map((address) => ring.serverAt(fullHash(sourceHash(address) ?? 0), undefined)?.view.name);
    expect(new Set(fromHaproxy).size).toBeGreaterThan(2);
    expect(fromRing).toEqual(fromHaproxy);
  });
});
