/** `halb lint [SPEC…]`: the CI gate. Findings with file:line:column, rule ids, four formats, exit 0/1/2. */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { SUPPORTED_TARGETS } from "../../analyze/sections/global.js";
import type { HaproxyVersion } from "../../ir/types.js";

export const LINT_FORMATS = ["stylish", "json", "sarif", "github"] as const;

export interface LintArgs {
  specs: string[];
  format: (typeof LINT_FORMATS)[number];
  maxWarnings?: number;
  rule: string[];
  config?: string;
  outputFile?: string;
  targetHaproxy?: HaproxyVersion;
  verify: boolean;
}

export const lintCommand: CommandModule<object, LintArgs> = {
  command: "lint [specs..]",
  describe: "Check .hal specs (every *.hal below the current folder when none is named)",
  builder: (yargs: Argv) =>
    yargs
      .positional("specs", { type: "string", array: true, default: [], describe: "Spec files, or - for standard input" })
      .option("format", { alias: "f", choices: LINT_FORMATS, default: "stylish" as const, describe: "Output format" })
      .option("max-warnings", { type: "number", describe: "Fail (exit 1) when there are more warnings than this" })
      .option("rule", { type: "string", array: true, default: [], describe: "Set a rule's level: ID=off|info|warn|error (repeatable)" })
      .option("config", { alias: "c", type: "string", describe: "Config file (default: .halbrc.json here or in a parent folder)" })
      .option("output-file", { alias: "o", type: "string", describe: "Write the report to this file instead of standard output" })
      .option("target-haproxy", { type: "string", choices: SUPPORTED_TARGETS, describe: "HAProxy version to lint for when a spec does not say" })
      .option("verify", { type: "boolean", default: false, describe: "Also compile and run the real haproxy -c and keepalived -t, mapped back to the spec" })
      .group(["format", "max-warnings", "rule", "config", "output-file", "target-haproxy", "verify"], "Lint options:")
      .example("$0 lint", "lint every *.hal below the current folder")
      .example("$0 lint zb.hal --format sarif -o halb.sarif", "a report for GitHub code scanning")
      .example("$0 lint --rule PAIR005=off --max-warnings 0", "fail on any warning, without one rule") as unknown as Argv<LintArgs>,
  handler: async (argv: ArgumentsCamelCase<LintArgs>) => {
    const { runLint } = await import("../run-lint.js");
    process.exitCode = await runLint(argv);
  },
};
