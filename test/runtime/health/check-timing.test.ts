import { describe, expect, it } from "vitest";
import { checkTimeLimits } from "../../../src/runtime/health/check-limits.js";
import { firstCheckDelays } from "../../../src/runtime/health/first-check-delays.js";

describe("check time limits", () => {
  it("without `timeout check`, the whole check must fit in inter", () => {
    expect(checkTimeLimits(2000, {})).toEqual({ kind: "whole", totalMs: 2000 });
    expect(checkTimeLimits(2000, { connect: 500 })).toEqual({ kind: "whole", totalMs: 2000 });
  });

  it("with it, connecting gets min(timeout connect, inter), the answer `timeout check`", () => {
    expect(checkTimeLimits(2000, { connect: 300, check: 1000 })).toEqual({ kind: "split", connectMs: 300, responseMs: 1000 });
    expect(checkTimeLimits(1000, { connect: 5000, check: 300 })).toEqual({ kind: "split", connectMs: 1000, responseMs: 300 });
    expect(checkTimeLimits(1000, { check: 300 })).toEqual({ kind: "split", connectMs: 1000, responseMs: 300 });
  });
});

describe("spreading of the first checks (measured on HAProxy 2.6.12)", () => {
  it("k * inter / N when all intervals are equal", () => {
    expect(firstCheckDelays([1000, 1000, 1000])).toEqual([0, 333, 666]);
    expect(firstCheckDelays([2400, 2400, 2400])).toEqual([0, 800, 1600]);
  });

  it("the base is max(smallest interval of at least 1 s, own interval)", () => {
    expect(firstCheckDelays([1500, 1200, 3000])).toEqual([0, 400, 2000]);
    expect(firstCheckDelays([3000, 3000, 1200])).toEqual([0, 1000, 800]);
    expect(firstCheckDelays([200, 1000, 1000])).toEqual([0, 333, 666]);
  });

  it("intervals under 1 s use their own interval", () => {
    expect(firstCheckDelays([200, 200, 200])).toEqual([0, 66, 133]);
    expect(firstCheckDelays([300])).toEqual([0]);
    expect(firstCheckDelays([])).toEqual([]);
  });
});
