/**
 * `halb run OUT`: read OUT/ir.json and check it against the same schema the compiler checks its
 * output with, so the runtime never executes an IR that `halb compile` would not have written.
 * Every failure is one RunInputError with a message that says what to do.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IR_VERSION, type Ir, type IrNode } from "../ir/types.js";
import { validateIr } from "../ir/validate.js";

export class RunInputError extends Error {
  override readonly name = "RunInputError";
}

export function loadIr(outDir: string): Ir {
  const path = join(outDir, "ir.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ENOENT" ? "no such file (run `halb compile SPEC -o OUT` first)" : code === "EACCES" ? "permission denied" : String(error);
    throw new RunInputError(`${path}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunInputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const version = (value as { irVersion?: unknown } | null)?.irVersion;
  if (version !== IR_VERSION) throw new RunInputError(`${path}: IR version ${JSON.stringify(version)}, this halb runs version ${IR_VERSION}: compile the spec again with this halb`);
  const errors = validateIr(value);
  if (errors.length > 0) {
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new RunInputError(`${path}: not a valid halb IR: ${first.pointer || "/"} ${first.message}${more}`);
  }
  return value as Ir;
}

/** The node this process runs as; the message lists the names the IR knows. */
export function nodeNamed(ir: Ir, name: string): IrNode {
  const node = ir.cluster.nodes.find((n) => n.name === name);
  if (!node) throw new RunInputError(`no node named ${JSON.stringify(name)} in this IR: the cluster has ${ir.cluster.nodes.map((n) => n.name).join(", ")}`);
  return node;
}
