import { describe, expect, it } from "vitest";
import { TrackCounter, type TrackTransition } from "../../../src/runtime/vrrp/track.js";

/** Feeds results ("+" success, "-" failure) and returns the status after each: P pending, U ok, D failing. */
function statuses(rise: number, fall: number, results: string): string {
  const counter = new TrackCounter(rise, fall);
  return [...results]
    .map((r) => {
      counter.record(r === "+");
      return counter.status === "ok" ? "U" : "D";
    })
    .join("");
}

function transitions(rise: number, fall: number, results: string): (TrackTransition | null)[] {
  const counter = new TrackCounter(rise, fall);
  return [...results].map((r) => counter.record(r === "+"));
}

describe("the vrrp_script result counter (Keepalived vrrp_script_child_thread)", () => {
  it("is pending until the first result, which decides at once", () => {
    const counter = new TrackCounter(2, 3);
    expect(counter.status).toBe("pending");
    expect(counter.result).toBe(1);
    expect(statuses(3, 3, "+")).toBe("U");
    expect(statuses(3, 3, "-")).toBe("D");
    expect(transitions(5, 5, "+")).toEqual(["up"]);
    expect(transitions(5, 5, "-")).toEqual(["down"]);
  });

  it("an OK check needs `fall` failures in a row", () => {
    expect(statuses(2, 2, "+--")).toBe("UUD");
    expect(statuses(2, 3, "+---")).toBe("UUUD");
    expect(statuses(2, 3, "+--+---")).toBe("UUUUUUD");
    expect(transitions(2, 2, "+--")).toEqual(["up", null, "down"]);
  });

  it("a failing check needs `rise` successes in a row", () => {
    expect(statuses(2, 2, "-++")).toBe("DDU");
    expect(statuses(3, 1, "-+-+++")).toBe("DDDDDU");
    expect(transitions(2, 2, "-+-++")).toEqual(["down", null, null, null, "up"]);
  });

  it("reports nothing when the status does not change", () => {
    expect(transitions(1, 1, "++--")).toEqual(["up", null, "down", null]);
  });

  it("stays within [0, rise+fall-1]", () => {
    const counter = new TrackCounter(2, 3);
    for (let i = 0; i < 10; i++) counter.record(true);
    expect(counter.result).toBe(4);
    for (let i = 0; i < 10; i++) counter.record(false);
    expect(counter.result).toBe(0);
  });

  it("refuses rise or fall below 1", () => {
    expect(() => new TrackCounter(0, 1)).toThrow(RangeError);
    expect(() => new TrackCounter(1, 1.5)).toThrow(RangeError);
  });
});
