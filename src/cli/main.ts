/** `halb`: builds the command line from an explicit list of commands and runs it. */
import yargs from "yargs";
import { compileCommand } from "./commands/compile.js";
import { explainCommand } from "./commands/explain.js";
import { lintCommand } from "./commands/lint.js";
import { runCommand } from "./commands/run.js";
import { EXIT_FATAL } from "./exit-codes.js";
import { STDIN_ARG } from "./io.js";
import { HALB_VERSION } from "../version.js";

/** A mistake in the command line itself: printed with a hint, exit 2. */
class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<void> {
  const debug = argv.includes("--debug");
  exitQuietlyWhenReaderCloses(process.stdout);
  exitQuietlyWhenReaderCloses(process.stderr);
  try {
    await yargs(argv.map((arg) => (arg === "-" ? STDIN_ARG : arg)))
      .scriptName("halb")
      .usage("$0 <command> [options]")
      .command(compileCommand)
      .command(lintCommand)
      .command(explainCommand)
      .command(runCommand)
      .option("debug", { type: "boolean", default: false, describe: "Print stack traces of internal errors" })
      .demandCommand(1, "Name a command: halb compile SPEC -o OUT, halb lint [SPEC…], halb explain ID, halb run OUT --node NAME")
      .recommendCommands()
      .strict()
      .version(HALB_VERSION)
      .help()
      .wrap(Math.min(100, process.stdout.columns || 100))
      .fail((message, error) => {
        // Throwing stops yargs before it runs a command with arguments it has just refused.
        throw error ?? new UsageError(message);
      })
      .parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`halb: ${error.message}\nRun \`halb --help\` for usage.\n`);
      process.exitCode = EXIT_FATAL;
      return;
    }
    const what = error instanceof Error ? error.message : String(error);
    process.stderr.write(`halb: error HAL4001 Internal error: ${what}.\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write("Run again with --debug for a stack trace, and please report it.\n");
    process.exitCode = EXIT_FATAL;
  }
}

/** `halb lint | head` closes the pipe early: like other Unix tools, stop without a stack trace. */
function exitQuietlyWhenReaderCloses(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}
