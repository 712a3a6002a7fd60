/** Every route and default points at a backend or listen section that exists. */
import { diag, q } from "../../diagnostics/create.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import type { AnalyzeContext } from "../args.js";
import type { ModelSpec } from "../model.js";

export function checkReferences(model: ModelSpec, ctx: AnalyzeContext): void {
  const targets = new Set([...model.backends, ...model.listens].map((p) => p.name.value));
  for (const frontend of model.frontends) {
    const references = [...frontend.routes.map((r) => r.backend), ...(frontend.defaultBackend ? [frontend.defaultBackend] : [])];
    for (const reference of references) {
      if (!targets.has(reference.value)) {
        ctx.diagnostics.push(diag("HAL2003", reference.span, { name: q(reference.value), suggestion: didYouMean(reference.value, targets) }));
      }
    }
  }
}
