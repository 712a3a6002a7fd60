import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  ConfigWriter,
  haproxyQuoted,
  haproxyQuotedParts,
  haproxyWord,
  keepalivedQuoted,
  keepalivedWord,
  shQuoted,
  systemdEnvQuoted,
} from "../../../src/emit/config-writer.js";
import { haproxyDuration } from "../../../src/emit/haproxy/duration.js";
import { keepalivedSeconds, keepalivedWholeSeconds } from "../../../src/emit/keepalived/seconds.js";
import { InternalError } from "../../../src/util/internal-error.js";

describe("ConfigWriter", () => {
  it("indents sections and blocks, collapses blank lines, ends with one LF", () => {
    const w = new ConfigWriter();
    w.blank();
    w.comment("head");
    w.blank().blank();
    w.section("global", () => {
      w.line("maxconn", 10);
      w.block("inner", () => w.line("x"));
    });
    w.blank();
    expect(w.text()).toBe("# head\n\nglobal\n    maxconn 10\n    inner {\n        x\n    }\n");
  });

  it("refuses a line break inside a line; comments flatten them", () => {
    expect(() => new ConfigWriter().line("a\nb")).toThrow(InternalError);
    expect(new ConfigWriter().comment("a\nb\r").text()).toBe("# a b \n");
  });
});

describe("quoting", () => {
  it("HAProxy: bare words stay bare, the rest is double-quoted with \\ \" $ escaped", () => {
    expect(haproxyWord("/index.html")).toBe("/index.html");
    expect(haproxyWord("www.zb.com")).toBe("www.zb.com");
    expect(haproxyWord("a b")).toBe('"a b"');
    expect(haproxyQuoted('p"a$s\\w #')).toBe('"p\\"a\\$s\\\\w #"');
    expect(haproxyQuotedParts(["admin:", { env: "STATS_PASS" }])).toBe('"admin:${STATS_PASS}"');
    expect(haproxyQuotedParts(['a"$:', { env: "X" }])).toBe('"a\\"\\$:${X}"');
    expect(haproxyQuotedParts([{ env: "U" }, ":", { env: "P" }])).toBe('"${U}:${P}"');
    expect(() => haproxyWord("a\tb")).toThrow(InternalError);
  });

  it("Keepalived: backslashes doubled, a double quote is impossible", () => {
    expect(keepalivedQuoted("a b#c!\\")).toBe('"a b#c!\\\\"');
    expect(keepalivedWord("eth0")).toBe("eth0");
    expect(keepalivedWord("a!b")).toBe('"a!b"');
    expect(() => keepalivedQuoted('a"b')).toThrow(InternalError);
  });

  it("sh: single quotes round-trip any string through a real shell", () => {
    for (const value of ["plain", "it's", "$(rm -rf /) `x` \"y\" \\ \n z", "'"]) {
      expect(execFileSync("/bin/sh", ["-c", `printf %s ${shQuoted(value)}`], { encoding: "utf8" })).toBe(value);
    }
  });

  it("systemd: \\ \" ` $ escaped inside double quotes, no line breaks", () => {
    expect(systemdEnvQuoted('a"b\\c`d$e f')).toBe('"a\\"b\\\\c\\`d\\$e f"');
    expect(() => systemdEnvQuoted("a\nb")).toThrow(InternalError);
  });
});

describe("durations", () => {
  it("HAProxy: the largest exact unit", () => {
    expect([500, 1000, 1500, 5000, 60000, 90000, 120000, 3600000, 86400000, 0].map(haproxyDuration)).toEqual([
      "500ms",
      "1s",
      "1500ms",
      "5s",
      "1m",
      "90s",
      "2m",
      "1h",
      "1d",
      "0ms",
    ]);
  });

  it("Keepalived: seconds, decimals where needed", () => {
    expect([1000, 30000, 1500, 250, 1005].map(keepalivedSeconds)).toEqual(["1", "30", "1.5", "0.25", "1.005"]);
    expect(() => keepalivedWholeSeconds(1500)).toThrow(InternalError);
  });
});
