/** `raw "…"`: a line passed through unchanged, still refused when it uses a removed keyword. */
import { diag, q } from "../../diagnostics/create.js";
import type { HaproxyVersion } from "../../ir/types.js";
import type { AnalyzeContext, ArgReader } from "../args.js";
import type { Located } from "../model.js";
import { removedKeyword } from "../removed.js";

export function readRaw(ctx: AnalyzeContext, args: ArgReader, target: HaproxyVersion): Located<string> | undefined {
  const line = args.text("the line to pass through, in quotes");
  args.end();
  if (!line) return undefined;
  if (line.value.trim() === "" || line.value.includes("\n")) {
    ctx.diagnostics.push(diag("HAL2029", line.span, { what: "A raw line", value: q(line.value), expected: "one non-empty line" }));
    return undefined;
  }
  const keyword = line.value.trim().split(/\s+/)[0]!;
  const removed = removedKeyword(keyword, target);
  if (removed) {
    ctx.diagnostics.push(diag("HAL2009", line.span, removed));
    return undefined;
  }
  return { value: line.value.trim(), span: line.span };
}
