/** `halb explain ID`: a lint rule's documentation page, or what a compiler code means. */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";

export interface ExplainArgs {
  id: string;
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: "explain <id>",
  describe: "Print the documentation of a lint rule (HAP001, unused-backend) or a compiler code (HAL2003)",
  builder: (yargs: Argv) =>
    yargs.positional("id", { type: "string", describe: "A rule id or name, or a HALnnnn code", demandOption: true }) as unknown as Argv<ExplainArgs>,
  handler: async (argv: ArgumentsCamelCase<ExplainArgs>) => {
    const { runExplain } = await import("../run-explain.js");
    process.exitCode = runExplain(argv.id);
  },
};
