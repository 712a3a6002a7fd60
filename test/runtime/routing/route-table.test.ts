import { describe, expect, it } from "vitest";
import { domPattern, matchesDom } from "../../../src/runtime/routing/host-match.js";
import { requestPath, RouteTable } from "../../../src/runtime/routing/route-table.js";

describe("hdr_dom(host) -i", () => {
  // The table of runtime-semantics.md §1.15, from HAProxy's match_word.
  const cases: [string, string, boolean][] = [
    ["example.com", "example.com", true],
    ["www.example.com", "example.com", true],
    ["EXAMPLE.COM:8080", "example.com", true],
    ["example.com.evil.net", "example.com", true],
    ["myexample.com", "example.com", false],
    ["example.community", "example.com", false],
    ["api.example.com", "api", true],
    ["example.com", ".example.com", true],
    ["example.com", "www.example.com", false],
    ["", "example.com", false],
    ["example.com", "...", false],
  ];
  for (const [value, pattern, expected] of cases) {
    it(`${JSON.stringify(value)} ${expected ? "matches" : "does not match"} ${JSON.stringify(pattern)}`, () => {
      expect(matchesDom(value, domPattern(pattern))).toBe(expected);
    });
  }

  it("finds a later delimited occurrence after an undelimited one", () => {
    expect(matchesDom("xexample.com.example.com", domPattern("example.com"))).toBe(true);
  });
});

describe("RouteTable", () => {
  const table = new RouteTable({
    acls: [
      { name: "host_a", kind: "host", value: "a.example.com" },
      { name: "path_api", kind: "path", value: "/api/" },
      { name: "host_b", kind: "host", value: "b.example.com" },
    ],
    routes: [
      { acls: ["host_a", "path_api"], backend: "a_api" },
      { acls: ["host_a"], backend: "a_web" },
      { acls: ["host_b"], backend: "b" },
    ],
    defaultBackend: "fallback",
  });

  it("takes the first route whose ACLs all match", () => {
    expect(table.backendFor({ hosts: ["a.example.com"], path: "/api/users" })).toBe("a_api");
    expect(table.backendFor({ hosts: ["a.example.com"], path: "/api" })).toBe("a_web");
    expect(table.backendFor({ hosts: ["B.Example.Com:8443"], path: "/api/x" })).toBe("b");
  });

  it("tries every Host value and falls back to the default backend", () => {
    expect(table.backendFor({ hosts: ["other", "b.example.com"], path: "/" })).toBe("b");
    expect(table.backendFor({ hosts: [], path: "/" })).toBe("fallback");
  });

  it("answers null without a default backend", () => {
    const bare = new RouteTable({ acls: [], routes: [] });
    expect(bare.backendFor({ hosts: ["x"], path: "/" })).toBeNull();
  });

  it("path_beg is case-sensitive", () => {
    expect(table.backendFor({ hosts: ["a.example.com"], path: "/API/x" })).toBe("a_web");
  });
});

describe("requestPath", () => {
  it("drops the query string and the absolute form's scheme and authority", () => {
    expect(requestPath("/a/b?x=1")).toBe("/a/b");
    expect(requestPath("http://h.example:81/p?q")).toBe("/p");
    expect(requestPath("http://h.example")).toBe("/");
    expect(requestPath("*")).toBe("*");
  });
});
