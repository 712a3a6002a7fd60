/**
 * How halb's route conditions match, to compare routes: `host H` is `hdr_dom(host) -i H` (H as whole
 * dot-separated labels of the Host header; HAProxy ignores dots at either end of the pattern) and
 * `path P` is `path_beg P` (a case-sensitive prefix). The conditions of one route are ANDed.
 */
import type { ModelRoute } from "../../../analyze/model.js";
import type { LintedSpec } from "../../linted-spec.js";

type Condition = ModelRoute["conditions"][number];

/** Every condition of every route of every frontend, in the order written. */
export function routeConditions(spec: LintedSpec): Condition[] {
  return spec.model.frontends.flatMap((f) => f.routes.flatMap((route) => route.conditions));
}

/** `www.zb.com` → `["www", "zb", "com"]`; `.zb.com.` → `["zb", "com"]`. */
export function hostLabels(host: string): string[] {
  return host.replace(/^\.+|\.+$/g, "").split(".");
}

/** `path /` holds for every request. */
function alwaysTrue(condition: Condition): boolean {
  return condition.kind === "path" && condition.value === "/";
}

/** Every request that satisfies `later` also satisfies `earlier`. */
export function implies(later: Condition, earlier: Condition): boolean {
  if (alwaysTrue(earlier)) return true;
  if (later.kind !== earlier.kind) return false;
  if (earlier.kind === "path") return later.value.startsWith(earlier.value);
  return containsRun(hostLabels(later.value), hostLabels(earlier.value));
}

/** `needle` occurs in `haystack` as consecutive labels. */
function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((label, k) => haystack[i + k] === label)) return true;
  }
  return false;
}

/** Every request `later` matches, `earlier` matches too (each of its conditions follows from one of `later`'s). */
export function covers(earlier: ModelRoute, later: ModelRoute): boolean {
  return earlier.conditions.every((e) => later.conditions.some((l) => implies(l, e)));
}

/** A route that matches every request (only `path /` conditions). */
export function isCatchAll(route: ModelRoute): boolean {
  return route.conditions.every(alwaysTrue);
}

/** `route host www.zb.com path /api/ -> api`, as written (hosts lower-cased). */
export function routeText(route: ModelRoute): string {
  return `route ${route.conditions.map((c) => `${c.kind} ${c.value}`).join(" ")} -> ${route.backend.value}`;
}
