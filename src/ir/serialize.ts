/** Stable serialisation: 2-space indent, LF, trailing newline; key order is the IR's own construction order. */
import type { Ir } from "./types.js";

export function serializeIr(ir: Ir): string {
  return JSON.stringify(ir, null, 2) + "\n";
}
