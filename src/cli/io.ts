/** The CLI's only contact with files and streams for reading specs. */
import { readFileSync } from "node:fs";
import type { ReadFile } from "../syntax/load.js";

/** yargs turns a lone `-` into an empty string; it stands for standard input, so main() carries it past yargs as this. */
export const STDIN_ARG = "\u0000stdin";

export const readSpecFile: ReadFile = (path) => readFileSync(path);

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
