/**
 * Looking rules up by id or name. The list itself is explicit (rules/index.ts); compiler warnings
 * (HAL2025, HAL2030) can be configured and suppressed like rules, compiler errors cannot.
 */
import { catalog, type Code } from "../diagnostics/catalog.js";
import type { AnyRule } from "./rule.js";
import { allRules } from "./rules/index.js";

export type RuleRef = { readonly kind: "rule"; readonly rule: AnyRule } | { readonly kind: "compiler"; readonly code: Code };

const byKey = new Map<string, AnyRule>();
for (const rule of allRules) {
  byKey.set(rule.meta.id.toLowerCase(), rule);
  byKey.set(rule.meta.name.toLowerCase(), rule);
}

export function ruleById(id: string): AnyRule | undefined {
  return byKey.get(id.toLowerCase());
}

/** A rule id, a rule name, or a compiler warning's code / name. */
export function resolveRuleRef(text: string): RuleRef | undefined {
  const rule = ruleById(text);
  if (rule) return { kind: "rule", rule };
  const code = compilerWarning(text);
  return code ? { kind: "compiler", code } : undefined;
}

/** The stable id a reference stands for (rule names map to ids). */
export function refId(ref: RuleRef): string {
  return ref.kind === "rule" ? ref.rule.meta.id : ref.code;
}

function compilerWarning(text: string): Code | undefined {
  const wanted = text.toUpperCase();
  for (const [code, entry] of Object.entries(catalog) as [Code, (typeof catalog)[Code]][]) {
    if (entry.severity !== "warning") continue;
    if (code === wanted || entry.name === text.toLowerCase()) return code;
  }
  return undefined;
}

/** Every id and name, for "did you mean". */
export function knownRuleKeys(): string[] {
  return allRules.flatMap((r) => [r.meta.id, r.meta.name]);
}
