import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_REALM, StatsAuth } from "../../../src/runtime/stats/auth.js";

const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString("base64")}`;

describe("StatsAuth", () => {
  const env: Record<string, string> = { STATS_PASS: "p@ss:word é", OPS_USER: "ops" };
  const { auth, problems } = StatsAuth.fromIr(
    [
      { user: "admin", password: { env: "STATS_PASS" } },
      { user: { env: "OPS_USER" }, password: { value: "ops-pw" } },
    ],
    undefined,
    (name) => env[name],
  );

  it("accepts any listed user with the right password, the password may hold colons", () => {
    expect(problems).toEqual([]);
    expect(auth.allows(basic("admin:p@ss:word é"))).toBe(true);
    expect(auth.allows(basic("ops:ops-pw"))).toBe(true);
    expect(auth.allows(`basic   ${Buffer.from("ops:ops-pw").toString("base64")}`)).toBe(true);
  });

  it("refuses a wrong password, a password of another user, a missing or malformed header", () => {
    expect(auth.allows(basic("admin:ops-pw"))).toBe(false);
    expect(auth.allows(basic("admin:"))).toBe(false);
    expect(auth.allows(basic("nobody:p@ss:word é"))).toBe(false);
    expect(auth.allows(basic("admin"))).toBe(false);
    expect(auth.allows(undefined)).toBe(false);
    expect(auth.allows("Bearer abc")).toBe(false);
  });

  it("challenges with HAProxy's default realm, or the spec's", () => {
    expect(auth.challenge()).toBe(`Basic realm="${DEFAULT_STATS_REALM}"`);
    expect(auth.challenge()).toBe('Basic realm="HAProxy Statistics"');
    const named = StatsAuth.fromIr([{ user: "a", password: { value: "b" } }], 'welcome "login"', () => undefined).auth;
    expect(named.challenge()).toBe('Basic realm="welcome \\"login\\""');
  });

  it("lets anyone in without users, and nobody whose password variable is unset — naming the variable only", () => {
    expect(StatsAuth.fromIr([], undefined, () => undefined).auth.allows(undefined)).toBe(true);
    const locked = StatsAuth.fromIr([{ user: "admin", password: { env: "MISSING_PASS" } }], undefined, () => undefined);
    expect(locked.problems).toEqual(["stats user admin cannot log in: environment variable MISSING_PASS is not set"]);
    expect(locked.auth.allows(basic("admin:"))).toBe(false);
    const secretInSpec = StatsAuth.fromIr([{ user: { env: "U" }, password: { value: "hunter2" } }], undefined, () => undefined);
    expect(secretInSpec.problems.join(" ")).not.toContain("hunter2");
  });
});
