/**
 * Fuzz: the fixture specs, mangled byte by byte (ranges dropped, duplicated, swapped; braces,
 * quotes, `;`, newlines, `->`, NUL and non-ASCII bytes inserted), are compiled in-process.
 * Whatever the input, the compiler must not throw; a refused spec must carry only diagnostics
 * with a HALnnnn code and a span inside the file; an accepted one must give an IR.
 *
 * FC_SEED=<n> replays a run; FC_FUZZ_RUNS=<n> changes the number of specs (default 10,000).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Span } from "../../src/diagnostics/span.js";
import { caseDirs, REPO_ROOT } from "../helpers/cases.js";
import { caseEnv, compileText } from "../helpers/compile-case.js";

const RUNS = Number(process.env["FC_FUZZ_RUNS"] ?? 10_000);
const SEED = process.env["FC_SEED"] !== undefined ? Number(process.env["FC_SEED"]) : undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8"); // not fatal: invalid sequences become U+FFFD, as an editor would show them

const fixtures = caseDirs("compile").map(({ name, dir }) => ({ name, bytes: encoder.encode(readFileSync(join(REPO_ROOT, dir, "input.hal"), "utf8")), env: caseEnv(join(REPO_ROOT, dir)) }));
/** Every variable any fixture reads, so a mutation that keeps env(…) intact still resolves. */
const ENV: Record<string, string> = Object.assign({ VRRP_PASS: "s3cret", STATS_PASS: "stats-pw" }, ...fixtures.map((f) => f.env));

/** Interesting byte sequences to insert: structure, strings, arrows, control bytes, non-ASCII and broken UTF-8. */
const FRAGMENTS: readonly Uint8Array[] = [
  "{", "}", '"', ";", "\n", "->", "\0", "#", "\\", "\t", "\r", " ", "\\\"", "\\n", "env(", ")", "env(VRRP_PASS)", "env(NOPE)",
  "vip(", "vip(9):80", "node:", "*:", ":", "/", "[", "]", "-", "0", "99999999999999999999", "-1", "1ms", "1.5s", "é", "中", "😀",
  "\u00a0", "\u2028", "include \"nope.hal\"\n", "cluster x {", "backend b {", "frontend f {", "route host a -> b\n", "default -> x\n",
  "node n 10.0.0.1 master\n", "server s 1.2.3.4:80\n", "bind vip:80\n",
].map((s) => encoder.encode(s)).concat([
  Uint8Array.of(0xff), Uint8Array.of(0xc3), Uint8Array.of(0xe2, 0x82), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0x80), Uint8Array.of(0x7f), Uint8Array.of(0x1b),
]);

type Mutation =
  | { kind: "drop"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number; to: number }
  | { kind: "swap"; a: number; b: number; length: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "fragment"; at: number; fragment: number; times: number }
  | { kind: "replace"; at: number; byte: number };

const position = fc.nat();
const smallLength = fc.integer({ min: 1, max: 64 });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), at: position, length: smallLength }),
  fc.record({ kind: fc.constant("duplicate" as const), at: position, length: smallLength, to: position }),
  fc.record({ kind: fc.constant("swap" as const), a: position, b: position, length: smallLength }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("fragment" as const), at: position, fragment: fc.nat({ max: FRAGMENTS.length - 1 }), times: fc.integer({ min: 1, max: 3 }) }) },
  fc.record({ kind: fc.constant("replace" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
);

/** The text as a JSON string with every invisible character escaped, so a reproducer can be pasted. */
function show(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u00a0\u2028\u2029\ufeff\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Applies a mutation; positions are taken modulo the current length, so any shrunk value stays applicable. */
function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = (p: number): number => (n === 0 ? 0 : p % (n + 1));
  switch (m.kind) {
    case "drop": {
      const start = at(m.at);
      return concat(bytes.subarray(0, start), bytes.subarray(Math.min(n, start + m.length)));
    }
    case "duplicate": {
      const start = at(m.at);
      const piece = bytes.slice(start, Math.min(n, start + m.length));
      const to = at(m.to);
      return concat(bytes.subarray(0, to), piece, bytes.subarray(to));
    }
    case "swap": {
      const [a, b] = [at(m.a), at(m.b)].sort((x, y) => x - y) as [number, number];
      const length = Math.min(m.length, b - a, n - b);
      if (length <= 0) return bytes;
      return concat(bytes.subarray(0, a), bytes.subarray(b, b + length), bytes.subarray(a + length, b), bytes.subarray(a, a + length), bytes.subarray(b + length));
    }
    case "insert": {
      const start = at(m.at);
      return concat(bytes.subarray(0, start), Uint8Array.from(m.bytes), bytes.subarray(start));
    }
    case "fragment": {
      const start = at(m.at);
      const fragment = FRAGMENTS[m.fragment]!;
      return concat(bytes.subarray(0, start), ...Array.from({ length: m.times }, () => fragment), bytes.subarray(start));
    }
    case "replace": {
      if (n === 0) return bytes;
      const copy = bytes.slice();
      copy[m.at % n] = m.byte;
      return copy;
    }
  }
}

const caseArb = fc
  .record({ fixture: fc.nat({ max: fixtures.length - 1 }), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }) })
  .map(({ fixture, mutations }) => {
    const source = fixtures[fixture]!;
    const bytes = mutations.reduce(mutate, source.bytes);
    return { fixture: source.name, mutations, text: decoder.decode(bytes) };
  });

/** Why a diagnostic's span is not a place in `text` (the spec named `name`), or null when it is. */
function spanProblem(span: Span | undefined, name: string, text: string): string | null {
  if (!span) return "no span";
  if (span.file !== name) return span.file ? null : "a span without a file"; // an included file: not ours to measure
  const lines = text.split("\n");
  for (const [which, pos] of [["start", span.start], ["end", span.end]] as const) {
    if (!Number.isInteger(pos.line) || !Number.isInteger(pos.column)) return `${which} is not a whole line/column: ${JSON.stringify(pos)}`;
    if (pos.line < 1 || pos.column < 1) return `${which} ${pos.line}:${pos.column} is before the file`;
    if (pos.line > lines.length + 1) return `${which} line ${pos.line} is past the end (${lines.length} lines)`;
    const lineText = lines[pos.line - 1];
    if (lineText === undefined ? pos.column !== 1 : pos.column > lineText.length + 1) return `${which} ${pos.line}:${pos.column} is past the end of its line`;
  }
  if (span.end.offset < span.start.offset) return "the span ends before it starts";
  return null;
}

function diagnosticProblems(diagnostics: readonly Diagnostic[], name: string, text: string): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.code} (${d.severity}) "${d.message}"`;
    if (!/^HAL\d{4}$/.test(d.code)) problems.push(`${where}: the code is not HALnnnn`);
    const problem = spanProblem(d.span, name, text);
    if (problem) problems.push(`${where}: ${problem}${d.span ? ` ${JSON.stringify(d.span)}` : ""}`);
    for (const note of d.notes ?? []) {
      const noteProblem = note.span ? spanProblem(note.span, name, text) : null;
      if (noteProblem) problems.push(`${where}, note "${note.message}": ${noteProblem}`);
    }
  }
  return problems;
}

/** Minimal reproducers of what the fuzzer found, held to the same contract. */
const CLUSTER = "cluster c {\n  interface eth0\n  vip 192.168.1.10/24\n  vrid 1\n  node a 192.168.1.11 master\n  node b 192.168.1.12 backup\n}\n";
const REPRODUCERS: Record<string, string> = {
  "NUL in a global log address": `${CLUSTER}global {\n  log 127.0.0.1\u0000 local0\n}\n`,
  "DEL in the stats uri": `${CLUSTER}stats {\n  bind :8080\n  uri /st\u007fats\n}\n`,
  "TAB inside the quoted stats realm": `${CLUSTER}stats {\n  bind :8080\n  realm "a\tb"\n}\n`,
  "control character in a global user": `${CLUSTER}global {\n  user ha\u0001proxy\n}\n`,
  "DEL in a health check path": `${CLUSTER}backend b {\n  health http GET /h\u007f\n  server s 192.0.2.1:80\n}\n`,
  "DEL in a route path": `${CLUSTER}frontend f {\n  bind :80\n  route path /a\u007f -> b\n}\nbackend b {\n  server s 192.0.2.1:80\n}\n`,
  "control character in a VIP label": CLUSTER.replace("vrid 1", "vip 192.168.1.20/24 label eth0:\u0002v\n  vrid 1"),
  "control character in the scripts folder": CLUSTER.replace("vrid 1", "scripts /etc/ha\u001alb\n  track haproxy\n  vrid 1"),
  "control character in a notify e-mail address": CLUSTER.replace("vrid 1", "notify email a\u0001@example.com via 127.0.0.1\n  vrid 1"),
};

describe("fuzz reproducers", () => {
  for (const [title, text] of Object.entries(REPRODUCERS)) {
    it(`${title}: refused with a located diagnostic, or compiled`, () => {
      const name = "reproducer.hal";
      const compiled = compileText(name, text, ENV); // must not throw
      if (compiled.diagnostics.some((d) => d.severity === "error")) expect(diagnosticProblems(compiled.diagnostics, name, text)).toEqual([]);
      else expect(compiled.ir).not.toBeNull();
    });
  }
});

describe("mutated fixtures (fuzz)", () => {
  it("has fixtures to mutate", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  it(
    `${RUNS} mutated specs: no exception, located HALnnnn diagnostics, an IR when accepted`,
    () => {
      let runs = 0;
      let accepted = 0;
      const started = Date.now();
      fc.assert(
        fc.property(caseArb, ({ fixture, text }) => {
          runs += 1;
          // A folder that does not exist: an `include` a mutation makes cannot reach a real file.
          const name = `fuzz-does-not-exist/${fixture}.hal`;
          let compiled: ReturnType<typeof compileText>;
          try {
            compiled = compileText(name, text, ENV);
          } catch (error) {
            throw new Error(`the compiler threw on a mutated ${fixture}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n--- spec (JSON)\n${show(text)}`);
          }
          const hasError = compiled.diagnostics.some((d) => d.severity === "error");
          if (hasError) {
            const problems = diagnosticProblems(compiled.diagnostics, name, text);
            if (problems.length > 0) throw new Error(`${problems.join("\n")}\n--- spec (JSON)\n${show(text)}`);
          } else {
            accepted += 1;
            if (compiled.ir === null) throw new Error(`no error but no IR\n--- spec (JSON)\n${show(text)}`);
          }
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      console.log(`fuzz: ${runs} mutated specs in ${((Date.now() - started) / 1000).toFixed(1)}s, ${accepted} of them accepted`);
      expect(runs).toBeGreaterThanOrEqual(RUNS);
    },
    5 * 60_000,
  );
});
