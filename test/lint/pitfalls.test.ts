/**
 * The pitfalls the lint issue names, one instance each, across three specs linted together
 * (fixtures/lint/pitfalls/): each must be flagged by its rule at its line.
 */
import { describe, expect, it } from "vitest";
import { lintCase } from "../helpers/lint-case.js";

const DIR = "fixtures/lint/pitfalls";

/** [spec, line, rule, what] */
const EXPECTED: readonly (readonly [string, number, string, string])[] = [
  ["weighted.hal", 7, "PAIR001", "a tracking weight that cannot make the backup win"],
  ["nopreempt.hal", 6, "PAIR002", "nopreempt with weighted tracking"],
  ["untracked.hal", 3, "PAIR003", "no HAProxy tracking at all"],
  ["untracked.hal", 5, "PAIR004", "a VIP outside the nodes' subnet"],
  ["untracked.hal", 6, "PAIR005", "VRID reuse across the specs of a repository (this side)"],
  ["weighted.hal", 6, "PAIR005", "VRID reuse across the specs of a repository (other side)"],
  ["untracked.hal", 12, "HAP020", "a stats page exposed without auth"],
  ["untracked.hal", 7, "KA001", "a secret written in clear in the spec"],
  ["untracked.hal", 1, "HAP015", "missing timeouts"],
  ["untracked.hal", 25, "HAP003", "servers without health checks"],
  ["untracked.hal", 20, "HAP007", "a route shadowed by an earlier route (hdr_dom)"],
  ["untracked.hal", 35, "HAP001", "an unused backend"],
  ["untracked.hal", 25, "HAP004", "a backend without redundancy"],
  ["untracked.hal", 22, "HAP013", "a raw line the runtime cannot execute"],
  ["untracked.hal", 22, "HAP014", "a keyword deprecated in the target version"],
];

describe("every failover and configuration pitfall is flagged at its line", () => {
  const result = lintCase(DIR);
  const found = result.findings.map((f) => `${f.span?.file.split("/").pop()}:${f.span?.start.line}:${f.code}`);

  it("compiles all three specs", () => {
    expect(result.findings.filter((f) => f.code.startsWith("HAL") && f.severity === "error")).toEqual([]);
  });

  it.each(EXPECTED)("%s:%i %s (%s)", (file, line, rule) => {
    expect(found).toContain(`${file}:${line}:${rule}`);
  });

  it("reports each missing timeout kind once", () => {
    expect(found.filter((f) => f === "untracked.hal:1:HAP015")).toHaveLength(3);
  });
});
