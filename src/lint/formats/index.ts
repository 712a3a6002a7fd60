/**
 * `halb lint`'s four reports, as pure functions of a LintResult: the CLI picks one with
 * `--format` and prints (or writes) the text. See docs/lint-output.md for each shape.
 */
import type { Style } from "../../diagnostics/render.js";
import type { LintResult } from "../engine.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatStylish } from "./stylish.js";

export type FormatName = "stylish" | "json" | "sarif" | "github";

export const FORMAT_NAMES: readonly FormatName[] = ["stylish", "json", "sarif", "github"];

export interface FormatOptions {
  /** Colours for stylish (plainStyle when the report goes to a file or a pipe); others ignore it. */
  readonly style: Style;
  /** The working directory: SARIF URIs and GitHub paths are relative to it. */
  readonly cwd: string;
}

/**
 * The whole text to print, ending with a newline. Without findings stylish and github print
 * nothing at all; json and sarif still print a complete document (tools expect one).
 */
export function formatLint(format: FormatName, result: LintResult, options: FormatOptions): string {
  switch (format) {
    case "stylish":
      return formatStylish(result, options.style);
    case "json":
      return formatJson(result);
    case "sarif":
      return formatSarif(result, options.cwd);
    case "github":
      return formatGithub(result, options.cwd);
  }
}
