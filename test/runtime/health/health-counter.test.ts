import { describe, expect, it } from "vitest";
import {
  checkedStatsStatus,
  type HealthCounter,
  isFullyUp,
  isHealthUp,
  recordCheck,
  startingHealth,
} from "../../../src/runtime/health/health-counter.js";

/** Feeds a sequence of results ("+" pass, "-" fail) and returns the UP/DOWN state after each. */
function states(rise: number, fall: number, results: string): string {
  let counter: HealthCounter = startingHealth(rise, fall);
  return [...results]
    .map((r) => {
      counter = recordCheck(counter, r === "+");
      return isHealthUp(counter) ? "U" : "D";
    })
    .join("");
}

describe("the rise/fall counter (HAProxy set_server_check_status)", () => {
  it("starts UP with health = rise: going down, shown as UP 1/fall", () => {
    const counter = startingHealth(2, 3);
    expect(counter.health).toBe(2);
    expect(isHealthUp(counter)).toBe(true);
    expect(isFullyUp(counter)).toBe(false);
    expect(checkedStatsStatus(counter)).toBe("UP 1/3");
  });

  it("a failed first check takes the server DOWN at once", () => {
    expect(states(2, 3, "-")).toBe("D");
    expect(states(1, 1, "-")).toBe("D");
    expect(states(5, 5, "-")).toBe("D");
  });

  it("a successful first check makes it fully UP; then it needs `fall` failures in a row", () => {
    expect(states(2, 3, "+---")).toBe("UUUD");
    expect(states(2, 3, "+--+--")).toBe("UUUUUU");
    expect(states(2, 2, "+--")).toBe("UUD");
    expect(states(3, 1, "+-")).toBe("UD");
  });

  it("a DOWN server needs `rise` successes in a row; a failure in between starts over", () => {
    expect(states(2, 3, "-++")).toBe("DDU");
    expect(states(2, 3, "-+-++")).toBe("DDDDU");
    expect(states(3, 2, "-+++")).toBe("DDDU");
    expect(states(1, 3, "-+")).toBe("DU");
  });

  it("coming UP jumps to full health: again `fall` failures to go down", () => {
    expect(states(2, 3, "-++---")).toBe("DDUUUD");
  });

  it("stays within [0, rise+fall-1]", () => {
    let counter = startingHealth(2, 3);
    for (let i = 0; i < 10; i++) counter = recordCheck(counter, true);
    expect(counter.health).toBe(4);
    expect(checkedStatsStatus(counter)).toBe("UP");
    for (let i = 0; i < 10; i++) counter = recordCheck(counter, false);
    expect(counter.health).toBe(0);
    expect(checkedStatsStatus(counter)).toBe("DOWN");
  });

  it("names the transitional states as the stats page does", () => {
    const full = recordCheck(startingHealth(2, 3), true);
    expect(checkedStatsStatus(recordCheck(full, false))).toBe("UP 2/3");
    expect(checkedStatsStatus(recordCheck(recordCheck(full, false), false))).toBe("UP 1/3");
    const down = recordCheck(startingHealth(3, 2), false);
    expect(checkedStatsStatus(recordCheck(down, true))).toBe("DOWN 1/3");
    expect(checkedStatsStatus(recordCheck(recordCheck(down, true), true))).toBe("DOWN 2/3");
  });

  it("refuses a rise or fall below 1", () => {
    expect(() => startingHealth(0, 3)).toThrow(RangeError);
    expect(() => startingHealth(2, 0)).toThrow(RangeError);
  });
});
