/** The CLI's colours; chalk decides from the terminal, NO_COLOR and FORCE_COLOR. */
import chalk, { Chalk } from "chalk";
import type { Style } from "../diagnostics/render.js";

export function terminalStyle(stream: NodeJS.WriteStream): Style {
  const c = stream.isTTY || process.env["FORCE_COLOR"] ? chalk : new Chalk({ level: 0 });
  return { error: c.red.bold, warning: c.yellow.bold, info: c.blue, dim: c.dim, bold: c.bold };
}
