/** What `halb compile` does, step by step; returns the exit code. Secrets are read here, once, and never printed. */
import { bundleFiles } from "../bundle-files.js";
import { referencedEnv } from "../ir/secrets.js";
import { checkBundle, planOutput, sha256, writeBundle } from "../output/index.js";
import { compileSpec } from "../pipeline.js";
import { reportTimings, startTimings, timed, timedAsync, timingsRequested } from "../util/phase-timer.js";
import type { CompileArgs } from "./commands/compile.js";
import { EXIT_FATAL, EXIT_OK, EXIT_PROBLEMS } from "./exit-codes.js";
import { readSpecFile, readStdin, STDIN_ARG } from "./io.js";
import { printDiagnostics } from "./report.js";

export async function runCompile(args: CompileArgs): Promise<number> {
  if (!timingsRequested()) return compile(args);
  // HALB_TIMINGS=1: one JSON line of phase durations on stderr at the end (bench/scaling.mjs).
  startTimings();
  try {
    return await compile(args);
  } finally {
    await reportTimings("compile");
  }
}

async function compile(args: CompileArgs): Promise<number> {
  const spec = args.spec === STDIN_ARG ? "-" : args.spec;
  const text = spec === "-" ? await readStdin() : undefined;
  const result = compileSpec({
    name: spec,
    ...(text !== undefined ? { text } : {}),
    readFile: readSpecFile,
    env: process.env,
    ...(args.targetHaproxy ? { target: args.targetHaproxy } : {}),
  });
  timed("report", () => printDiagnostics(result.diagnostics, result.loaded));
  if (!result.ir) return result.loaded.files.length === 0 ? EXIT_FATAL : EXIT_PROBLEMS;

  const ir = result.ir;
  // The analyzer refused the spec if any of these was missing; emitters get the values, never process.env.
  const envValues = new Map<string, string>();
  for (const name of referencedEnv(ir)) envValues.set(name, process.env[name]!);
  const files = timed("emit", () => bundleFiles(ir, envValues));
  const bundle = timed("plan", () => {
    const specSha256 = sha256(result.loaded.files.map((f) => `${f.source.name}\0${f.source.text}`).join("\0"));
    return planOutput(files, { specName: spec, specSha256 });
  });

  if (args.check) {
    const checked = await timedAsync("check", () => checkBundle(args.out, bundle));
    printDiagnostics(checked.diagnostics, null);
    if (checked.upToDate) return EXIT_OK;
    process.stdout.write(checked.diff);
    return EXIT_PROBLEMS;
  }
  const written = await timedAsync("write", () => writeBundle(args.out, bundle, { force: args.force }));
  printDiagnostics(written.diagnostics, null);
  if (!written.ok) return written.diagnostics.some((d) => d.code === "HAL5003") ? EXIT_PROBLEMS : EXIT_FATAL;
  const nodes = ir.cluster.nodes.map((n) => n.name).join(", ");
  process.stderr.write(`halb: compiled ${ir.source} for ${nodes} into ${args.out} (${written.written.length} written, ${written.deleted.length} removed)\n`);
  return EXIT_OK;
}
