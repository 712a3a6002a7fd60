import { describe, expect, it } from "vitest";
import { FreqCounter } from "../../../src/runtime/stats/freq-counter.js";
import { SlidingAverage, TIME_SAMPLES } from "../../../src/runtime/stats/sliding-average.js";

describe("FreqCounter (HAProxy's freq_ctr)", () => {
  it("counts the events of the current second", () => {
    const counter = new FreqCounter();
    expect(counter.add(10_000)).toBe(1);
    expect(counter.add(10_500, 2)).toBe(3);
    expect(counter.read(10_999)).toBe(3);
  });

  it("lets the previous second fade out linearly over the current one", () => {
    const counter = new FreqCounter();
    counter.add(10_000, 100);
    expect(counter.read(11_000)).toBe(100); // a new period just began: all of the last one still counts
    expect(counter.read(11_250)).toBe(75);
    expect(counter.read(11_750)).toBe(25);
    counter.add(11_750, 10);
    expect(counter.read(11_750)).toBe(35);
    expect(counter.read(12_500)).toBe(5); // the 100 are gone, half of the 10 remains
  });

  it("forgets everything after two idle periods", () => {
    const counter = new FreqCounter();
    counter.add(10_000, 7);
    expect(counter.read(12_000)).toBe(0);
    expect(counter.add(13_400)).toBe(1);
    expect(counter.read(13_400)).toBe(1);
  });

  it("returns the current period's count from add, which HAProxy keeps as the *_max rate", () => {
    const counter = new FreqCounter();
    let max = 0;
    for (let ms = 0; ms < 3000; ms += 10) max = Math.max(max, counter.add(5_000 + ms));
    expect(max).toBe(100);
  });

  it("does not inflate the rate when the clock steps back", () => {
    const counter = new FreqCounter();
    counter.add(10_000, 50);
    counter.add(11_000, 10);
    expect(counter.read(10_500)).toBeLessThanOrEqual(60);
  });
});

describe("SlidingAverage (HAProxy's swrate over 1024 samples)", () => {
  it("is 0 before the first sample and exact on the first", () => {
    const average = new SlidingAverage();
    expect(average.average()).toBe(0);
    average.add(9);
    expect(average.average()).toBe(9);
  });

  it("tracks a constant exactly and moves toward a new level", () => {
    const average = new SlidingAverage();
    for (let i = 0; i < 3000; i++) average.add(40);
    expect(average.average()).toBe(40);
    for (let i = 0; i < TIME_SAMPLES * 4; i++) average.add(100);
    expect(average.average()).toBeGreaterThan(95);
    expect(average.average()).toBeLessThanOrEqual(100);
  });
});
