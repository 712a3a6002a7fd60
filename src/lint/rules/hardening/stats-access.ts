/**
 * Who can reach the stats page. halb binds it where the spec says; raw lines may add their own
 * access control (`http-request deny unless …`, `tcp-request connection reject …`), which a rule
 * cannot evaluate, so a stats block that has one is given the benefit of the doubt.
 */
import type { ModelStats } from "../../../analyze/model.js";
import type { IrText } from "../../../ir/types.js";
import type { LintedSpec } from "../../linted-spec.js";
import { bindText, reachableFromOutside } from "../../binds.js";
import { rawHas } from "../../statements.js";

/** The stats binds other machines can connect to, as written (`0.0.0.0:19088`). */
export function exposedStatsBinds(spec: LintedSpec, stats: ModelStats): string[] {
  return stats.binds.filter((b) => reachableFromOutside(spec, b.bind)).map((b) => `\`${bindText(b.bind)}\``);
}

/** A raw line restricts or authenticates requests itself: `http-request …`, `tcp-request …`, `stats http-request …`. */
export function rawAccessControl(stats: ModelStats): boolean {
  return rawHas(stats.raw, "http-request") || rawHas(stats.raw, "tcp-request") || rawHas(stats.raw, "stats", "http-request");
}

/** A raw `stats auth …` line: authentication halb did not write. */
export function rawStatsAuth(stats: ModelStats): boolean {
  return rawHas(stats.raw, "stats", "auth");
}

/** The stats `auth` lines whose password is written in the spec (not `env(NAME)`), with that password. */
export function writtenStatsPasswords(stats: ModelStats | null): { auth: ModelStats["auth"][number]; password: string }[] {
  return (stats?.auth ?? []).flatMap((auth) => ("value" in auth.password ? [{ auth, password: auth.password.value }] : []));
}

/** `admin`, or `env(STATS_USER)` when the user name comes from the environment. */
export function userText(user: IrText): string {
  return typeof user === "string" ? user : `env(${user.env})`;
}
