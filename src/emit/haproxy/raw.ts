/** Lines the spec passes through unchanged. */
import type { IrRaw } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";

/** `<line as written>`, after every generated directive of the section. */
export function writeRaw(w: ConfigWriter, raw: readonly IrRaw[]): void {
  raw.forEach(({ line }, i) => w.from(`raw/${i}`, () => w.line(line)));
}
