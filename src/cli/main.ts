/** `halb`: builds the command line from an explicit list of commands and runs it. */
import yargs from "yargs";
import { compileCommand } from "./commands/compile.js";
import { EXIT_FATAL } from "./exit-codes.js";
import { HALB_VERSION } from "../version.js";
import { InternalError } from "../util/internal-error.js";

export async function main(argv: readonly string[]): Promise<void> {
  const debug = argv.includes("--debug");
  try {
    await yargs([...argv])
      .scriptName("halb")
      .usage("$0 <command> [options]")
      .command(compileCommand)
      .option("debug", { type: "boolean", default: false, describe: "Print stack traces of internal errors" })
      .demandCommand(1, "Name a command: halb compile SPEC -o OUT")
      .recommendCommands()
      .strict()
      .version(HALB_VERSION)
      .help()
      .wrap(Math.min(100, process.stdout.columns || 100))
      .fail((message, error) => {
        if (error) throw error;
        process.stderr.write(`halb: ${message}\nRun \`halb --help\` for usage.\n`);
        process.exitCode = EXIT_FATAL;
      })
      .parseAsync();
  } catch (error) {
    const what = error instanceof InternalError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`halb: error HAL4001 Internal error: ${what}.\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write("Run again with --debug for a stack trace, and please report it.\n");
    process.exitCode = EXIT_FATAL;
  }
}
