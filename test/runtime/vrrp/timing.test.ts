import { describe, expect, it } from "vitest";
import { masterDownIntervalMs, skewTimeMicros, skewTimeMs } from "../../../src/runtime/vrrp/timing.js";

describe("Skew_Time and Master_Down_Interval (Keepalived vrrp.h)", () => {
  it("gives §2.1's values for advert_int 1", () => {
    expect([skewTimeMs(100, 1000), masterDownIntervalMs(100, 1000)]).toEqual([609, 3609]);
    expect([skewTimeMs(90, 1000), masterDownIntervalMs(90, 1000)]).toEqual([648, 3648]);
  });

  it("counts in microseconds with integer division, then truncates to milliseconds", () => {
    expect(skewTimeMicros(100, 1000)).toBe(609_375);
    expect(skewTimeMicros(90, 1000)).toBe(648_437);
    expect(skewTimeMicros(255, 1000)).toBe(3_906);
    expect(skewTimeMs(255, 1000)).toBe(3);
    expect(skewTimeMs(1, 1000)).toBe(996);
    expect(skewTimeMs(0, 1000)).toBe(1000);
  });

  it("VRRPv2's skew ignores the interval; the down interval is three adverts plus the skew", () => {
    expect(skewTimeMs(100, 2000)).toBe(609);
    expect(masterDownIntervalMs(100, 2000)).toBe(6609);
    expect(masterDownIntervalMs(128, 1000)).toBe(3500);
  });

  it("VRRPv3 scales the skew by the interval", () => {
    expect(skewTimeMs(100, 1000, 3)).toBe(609);
    expect(skewTimeMicros(100, 2000, 3)).toBe(1_218_750);
    expect(masterDownIntervalMs(100, 2000, 3)).toBe(7218);
  });

  it("a higher priority always has a strictly shorter down interval", () => {
    for (let p = 1; p < 255; p++) expect(masterDownIntervalMs(p + 1, 1000)).toBeLessThan(masterDownIntervalMs(p, 1000));
  });

  it("refuses priorities outside 0-255", () => {
    expect(() => skewTimeMs(256, 1000)).toThrow(RangeError);
    expect(() => skewTimeMs(-1, 1000)).toThrow(RangeError);
  });
});
