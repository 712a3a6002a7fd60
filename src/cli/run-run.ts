/**
 * `halb run`: starts the LoadBalancer, prints where it serves, and wires signals: SIGHUP reloads
 * (a bad OUT is reported and the running configuration keeps serving), SIGTERM/SIGINT drain and
 * stop (a second signal stops at once). Request lines go to standard output, one per line;
 * messages about the process go to standard error.
 */
import { ListenError } from "../runtime/listener-set.js";
import { LoadBalancer } from "../runtime/load-balancer.js";
import { RunInputError } from "../runtime/load-ir.js";
import type { RunArgs } from "./commands/run.js";
import { EXIT_FATAL, EXIT_OK } from "./exit-codes.js";

export async function runRun(args: RunArgs): Promise<number> {
  const say = (line: string): void => void process.stderr.write(`halb run: ${line}\n`);
  let balancer: LoadBalancer;
  try {
    balancer = await LoadBalancer.start({
      outDir: args.out,
      nodeName: args.node,
      master: args.master,
      env: process.env,
      jsonLogs: args.logFormat === "json",
      log: { request: (line) => void process.stdout.write(`${line}\n`), event: (line) => void process.stdout.write(`${line}\n`) },
    });
  } catch (error) {
    if (error instanceof RunInputError || error instanceof ListenError) {
      say(`error: ${error.message}`);
      return EXIT_FATAL;
    }
    throw error;
  }
  say(`node ${args.node}${args.master ? " (master)" : ""} serving ${balancer.addresses.join(", ") || "nothing"} (pid ${process.pid})`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        say(`${signal} again: stopping now`);
        process.exit(EXIT_OK);
      }
      stopping = true;
      say(`${signal}: finishing requests in flight (up to ${args.grace}s), then stopping`);
      void balancer.stop(args.grace * 1000).then(() => {
        process.off("SIGHUP", reload);
        resolve(EXIT_OK);
      });
    };
    const reload = (): void => {
      balancer.reload().then(
        () => say(`reloaded ${args.out}: serving ${balancer.addresses.join(", ")}`),
        (error: unknown) => {
          const message = error instanceof RunInputError || error instanceof ListenError ? error.message : String(error);
          say(`reload refused, the previous configuration keeps serving: ${message}`);
        },
      );
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGHUP", reload);
  });
}
