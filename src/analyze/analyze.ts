/**
 * Sections → Model: interprets every block, then runs the checks that need the whole spec
 * (names, references, the pair's invariants, modes). Collects every problem; never throws on input.
 */
import { sectionKinds, type Section, type SectionKind } from "../ast/nodes.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { HaproxyVersion } from "../ir/types.js";
import type { AnalyzeContext } from "./args.js";
import { allChecks } from "./checks/index.js";
import type { ModelSpec } from "./model.js";
import { analyzeCluster } from "./sections/cluster.js";
import { analyzeFrontend } from "./sections/frontend.js";
import { analyzeGlobal, emptyGlobal, readTarget } from "./sections/global.js";
import { analyzeBackend, analyzeListen } from "./sections/pool.js";
import { emptySettings, proxySettingsHandlers } from "./sections/proxy-settings.js";
import { analyzeStats } from "./sections/stats.js";
import { dispatch } from "./dispatch.js";

export interface AnalyzeOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `unknown` when linting: env(NAME) is never looked up (see AnalyzeContext). */
  readonly envValues?: "required" | "unknown";
  /** The HAProxy version to target when the spec does not say (`target haproxy X` in `global`). */
  readonly target?: HaproxyVersion;
  /** Where to point at a problem of the whole spec (the start of the main file). */
  readonly specStart?: Span;
}

const singletons: readonly SectionKind[] = ["cluster", "global", "defaults", "stats"];

export function analyze(sections: readonly Section[], options: AnalyzeOptions): { model: ModelSpec; diagnostics: Diagnostic[] } {
  const ctx: AnalyzeContext = { diagnostics: [], env: options.env, envValues: options.envValues ?? "required" };
  const firstOf = new Map<SectionKind, Section>();
  for (const section of sections) {
    if (section.section === "unknown") {
      ctx.diagnostics.push(diag("HAL2033", section.keywordSpan, { keyword: q(section.keyword), suggestion: didYouMean(section.keyword, sectionKinds) }));
      continue;
    }
    if (singletons.includes(section.section) && firstOf.has(section.section)) {
      ctx.diagnostics.push(diag("HAL2015", section.keywordSpan, { block: q(section.section) }));
      continue;
    }
    if (!firstOf.has(section.section)) firstOf.set(section.section, section);
    if (singletons.includes(section.section) && section.section !== "cluster" && section.name) {
      ctx.diagnostics.push(diag("HAL2011", section.name.span, { found: q(section.name.text), statement: q(section.section), expected: "`{` (this block has no name)" }));
    }
  }

  const target = readTarget(ctx, firstOf.get("global"), options.target ?? "2.6");
  const clusterSection = firstOf.get("cluster");
  const globalSection = firstOf.get("global");
  const defaultsSection = firstOf.get("defaults");
  const statsSection = firstOf.get("stats");

  const defaults = { ...emptySettings(), span: defaultsSection?.span ?? null };
  if (defaultsSection) dispatch(ctx, "`defaults`", defaultsSection.body, { directives: proxySettingsHandlers(ctx, defaults, "defaults", target) }, target);

  const model: ModelSpec = {
    target,
    cluster: clusterSection ? analyzeCluster(ctx, clusterSection) : null,
    global: globalSection ? analyzeGlobal(ctx, globalSection, target) : emptyGlobal(),
    defaults,
    stats: statsSection ? analyzeStats(ctx, statsSection, target) : null,
    frontends: sections.filter((s) => s.section === "frontend").map((s) => analyzeFrontend(ctx, s, target)),
    backends: sections.filter((s) => s.section === "backend").map((s) => analyzeBackend(ctx, s, target)),
    listens: sections.filter((s) => s.section === "listen").map((s) => analyzeListen(ctx, s, target)),
  };
  if (!clusterSection) ctx.diagnostics.push(diag("HAL2014", sections[0]?.keywordSpan ?? options.specStart, { block: "`cluster`" }));

  for (const check of allChecks) check(model, ctx);
  return { model, diagnostics: ctx.diagnostics };
}
