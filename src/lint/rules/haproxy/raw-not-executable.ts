import type { SpecRule } from "../../rule.js";
import { rawKeyword } from "../../statements.js";
import { allRawLines } from "./raw-lines.js";

/**
 * `raw` passes a line to haproxy.cfg unread: halb cannot check it, and `halb run` (which executes
 * the spec itself) cannot execute it. Only the keyword is quoted: raw lines may hold secrets.
 */
export const rawNotExecutable: SpecRule = {
  meta: {
    id: "HAP013",
    name: "raw-not-executable",
    category: "haproxy",
    severity: "warning",
    summary: "A `raw` line: halb passes it to haproxy.cfg unchecked, and `halb run` cannot execute it.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const { where, line } of allRawLines(spec)) {
      report({
        span: line.span,
        message: `The raw \`${rawKeyword(line.value)}\` line in ${where} goes into haproxy.cfg unchecked, and \`halb run\` cannot execute it.`,
        notes: [{ message: "use a .hal statement if one does the same; otherwise keep the line, test the output with `haproxy -c`, and suppress this finding here" }],
      });
    }
  },
};
