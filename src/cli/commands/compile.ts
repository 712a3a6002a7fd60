/** `halb compile SPEC -o OUT [--check] [--force]`: the spec → every node's files. */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { HaproxyVersion } from "../../ir/types.js";
import { SUPPORTED_TARGETS } from "../../analyze/sections/global.js";

export interface CompileArgs {
  spec: string;
  out: string;
  check: boolean;
  force: boolean;
  targetHaproxy?: HaproxyVersion;
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: "compile <spec>",
  describe: "Compile a .hal spec into each node's haproxy.cfg, keepalived.conf and scripts",
  builder: (yargs: Argv) =>
    yargs
      .positional("spec", { type: "string", describe: "The .hal file, or - for standard input", demandOption: true })
      .option("out", { alias: "o", type: "string", describe: "Output folder", demandOption: true })
      .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 with a diff if OUT is out of date" })
      .option("force", { type: "boolean", default: false, describe: "Overwrite files in OUT that were edited by hand" })
      .option("target-haproxy", { type: "string", choices: SUPPORTED_TARGETS, describe: "HAProxy version to target (default 2.6, or `target haproxy X` in global)" })
      .group(["out", "check", "force", "target-haproxy"], "Compile options:")
      .example("$0 compile zb.hal -o out/", "write out/ir.json, out/manifest.json and out/<node>/…") as unknown as Argv<CompileArgs>,
  handler: async (argv: ArgumentsCamelCase<CompileArgs>) => {
    const { runCompile } = await import("../run-compile.js");
    process.exitCode = await runCompile(argv);
  },
};
