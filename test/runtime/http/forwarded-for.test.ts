import { describe, expect, it } from "vitest";
import { forwardedFor, forwardedForValue } from "../../../src/runtime/http/forwarded-for.js";

describe("forwardedFor", () => {
  it("appends one x-forwarded-for line after the headers and keeps the client's", () => {
    const headers = Object.freeze(["host", "x", "x-forwarded-for", "9.9.9.9", "x-last", "1"]);
    const out = forwardedFor(headers, "127.0.0.1");
    expect(out).toEqual(["host", "x", "x-forwarded-for", "9.9.9.9", "x-last", "1", "x-forwarded-for", "127.0.0.1"]);
    expect(out).not.toBe(headers);
  });

  it("writes IPv6 without brackets, port or zone, and keeps an IPv4-mapped address as HAProxy does", () => {
    expect(forwardedFor([], "::1")).toEqual(["x-forwarded-for", "::1"]);
    expect(forwardedFor([], "fe80::1%eth0")).toEqual(["x-forwarded-for", "fe80::1"]);
    expect(forwardedFor([], "::ffff:127.0.0.1")).toEqual(["x-forwarded-for", "::ffff:127.0.0.1"]);
  });

  it("unmaps an IPv4-mapped address when asked", () => {
    expect(forwardedFor([], "::ffff:10.1.2.3", { unmapIpv4: true })).toEqual(["x-forwarded-for", "10.1.2.3"]);
    expect(forwardedForValue("::FFFF:10.1.2.3", true)).toBe("10.1.2.3");
    expect(forwardedForValue("::ffff:a:b", true)).toBe("::ffff:a:b");
    expect(forwardedForValue("10.1.2.3", true)).toBe("10.1.2.3");
  });

  it("header: writes the name lower-case", () => {
    expect(forwardedFor(["host", "x"], "127.0.0.1", { header: "X-Client" })).toEqual(["host", "x", "x-client", "127.0.0.1"]);
  });

  it("if-none: adds nothing when the header is there, and only that header counts", () => {
    const present = ["x-client", "1.1.1.1"];
    expect(forwardedFor(present, "127.0.0.1", { header: "X-Client", ifNone: true })).toEqual(present);
    expect(forwardedFor(["x-forwarded-for", "1.1.1.1"], "127.0.0.1", { header: "X-Client", ifNone: true })).toEqual([
      "x-forwarded-for", "1.1.1.1", "x-client", "127.0.0.1",
    ]);
  });

  it("except: adds nothing for the excluded sources", () => {
    const loopback = (address: string): boolean => address.startsWith("127.");
    expect(forwardedFor(["host", "x"], "127.0.0.1", { except: loopback })).toEqual(["host", "x"]);
    expect(forwardedFor(["host", "x"], "10.0.0.1", { except: loopback })).toEqual(["host", "x", "x-forwarded-for", "10.0.0.1"]);
  });
});
