import type { Span } from "../../../diagnostics/span.js";
import { sentenceLabel } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { directiveIn, globalDirective } from "../../statements.js";

/**
 * Global `maxconn` caps the whole process: a frontend or listen allowed more than that never gets
 * it. Connections beyond the global limit wait in the kernel's accept queue, so a limit that
 * looks generous in the proxy silently becomes the global one, shared by every proxy.
 */
export const maxconnAboveGlobal: SpecRule = {
  meta: {
    id: "HAP029",
    name: "maxconn-above-global",
    category: "haproxy",
    severity: "warning",
    summary: "A frontend, listen or `defaults` `maxconn` above the global `maxconn`, which caps it.",
  },
  scope: "spec",
  check({ spec, report }) {
    const globalMax = spec.model.global.maxconn;
    if (globalMax === undefined) return;
    const globalSpan = globalDirective(spec, "maxconn")?.args[0]?.span;
    const check = (what: string, value: number | undefined, blockSpan: Span | null) => {
      if (value === undefined || value <= globalMax || !blockSpan) return;
      const valueSpan = directiveIn(spec, blockSpan, "maxconn")?.args[0]?.span ?? blockSpan;
      report({
        span: valueSpan,
        message: `${what} allows \`maxconn ${value}\`, but the global \`maxconn ${globalMax}\` caps the whole process: connections beyond ${globalMax} wait in the kernel's queue whatever this says.`,
        notes: [
          ...(globalSpan ? [{ message: "the process-wide limit", span: globalSpan }] : []),
          { message: `raise the global \`maxconn\` to at least ${value}, or lower this one` },
        ],
      });
    };
    check("`defaults`", spec.model.defaults.maxconn, spec.model.defaults.span);
    for (const f of spec.model.frontends) check(sentenceLabel(f), f.maxconn, f.span);
    for (const l of spec.model.listens) check(sentenceLabel(l), l.maxconn, l.span);
  },
};
