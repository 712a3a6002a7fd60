/** What `halb lint` does: find the specs, read the config, lint, print in the chosen format, exit 0/1/2. */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { plainStyle } from "../diagnostics/render.js";
import { ConfigError, loadConfig, withRuleFlags, type LintConfig } from "../lint/config.js";
import { discoverSpecs } from "../lint/discover.js";
import { lint, type LintInput, type LintResult } from "../lint/engine.js";
import { formatLint } from "../lint/formats/index.js";
import { reportTimings, startTimings, timed, timingsRequested } from "../util/phase-timer.js";
import type { LintArgs } from "./commands/lint.js";
import { EXIT_FATAL, EXIT_OK, EXIT_PROBLEMS } from "./exit-codes.js";
import { readSpecFile, readStdin, STDIN_ARG } from "./io.js";
import { terminalStyle } from "./style.js";

export async function runLint(args: LintArgs): Promise<number> {
  if (!timingsRequested()) return lintCommand(args);
  // HALB_TIMINGS=1: one JSON line of phase durations on stderr at the end (bench/scaling.mjs).
  startTimings();
  try {
    return await lintCommand(args);
  } finally {
    await reportTimings("lint");
  }
}

async function lintCommand(args: LintArgs): Promise<number> {
  const cwd = process.cwd();
  let config: LintConfig;
  try {
    config = withRuleFlags(loadConfig(cwd, args.config).config, args.rule);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`halb: ${error.message}\n`);
    return EXIT_FATAL;
  }
  if (args.maxWarnings !== undefined && !(Number.isInteger(args.maxWarnings) && args.maxWarnings >= 0)) {
    process.stderr.write("halb: --max-warnings takes a whole number, 0 or more.\n");
    return EXIT_FATAL;
  }

  const discovering = args.specs.length === 0;
  const inputs: LintInput[] = [];
  if (discovering) {
    for (const name of discoverSpecs(cwd, config.ignore)) inputs.push({ name });
    if (inputs.length === 0) {
      process.stderr.write(`halb: no .hal file below ${cwd}; name the specs to lint.\n`);
      return EXIT_FATAL;
    }
  } else {
    for (const spec of args.specs) inputs.push(spec === STDIN_ARG || spec === "-" ? { name: "-", text: await readStdin() } : { name: spec });
  }

  let result: LintResult = timed("engine", () => lint(inputs, {
    readFile: readSpecFile,
    config,
    ...(args.targetHaproxy ? { target: args.targetHaproxy } : {}),
    skipIncluded: discovering,
    resolvePath: (name) => resolve(cwd, name),
    sourceMaps: args.verify === true,
  }));
  if (args.verify) {
    const { verifySpecs } = await import("../lint/verify/index.js");
    result = await verifySpecs(result);
  }

  // A report written to a file is read by tools, never painted.
  const style = args.outputFile ? plainStyle : terminalStyle(process.stdout);
  const report = timed("format", () => formatLint(args.format, result, { style, cwd }));
  if (args.outputFile) {
    try {
      writeFileSync(args.outputFile, report);
    } catch (error) {
      process.stderr.write(`halb: cannot write ${args.outputFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}).\n`);
      return EXIT_FATAL;
    }
  } else {
    process.stdout.write(report);
  }
  return exitCode(result, args.maxWarnings ?? config.maxWarnings);
}

function exitCode(result: LintResult, maxWarnings: number | undefined): number {
  if (result.unreadable) return EXIT_FATAL;
  if (result.findings.some((f) => f.severity === "error")) return EXIT_PROBLEMS;
  const warnings = result.findings.filter((f) => f.severity === "warning").length;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`halb: ${warnings} warnings, more than --max-warnings ${maxWarnings}.\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_OK;
}
