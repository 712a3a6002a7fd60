/**
 * `halb run`: starts the LoadBalancer, prints where it serves, and wires signals: SIGHUP reloads
 * (a bad OUT is reported and the running configuration keeps serving), SIGTERM/SIGINT drain and
 * stop (a second signal stops at once). Request lines go to standard output, one per line;
 * messages about the process go to standard error. With `threads N` (N > 1) this process becomes
 * the primary of N workers (runtime/cluster/), each of which comes back here as a worker.
 */
import { ListenError } from "../runtime/listener-set.js";
import cluster from "node:cluster";
import type { Ir } from "../ir/types.js";
import { runPrimary } from "../runtime/cluster/primary.js";
import { runWorker } from "../runtime/cluster/worker.js";
import { LoadBalancer, type LoadBalancerOptions } from "../runtime/load-balancer.js";
import { loadIr, nodeNamed, RunInputError } from "../runtime/load-ir.js";
import { startVrrpNode } from "../runtime/vrrp/start.js";
import type { VrrpNode } from "../runtime/vrrp/vrrp-node.js";
import type { RunArgs } from "./commands/run.js";
import { EXIT_FATAL, EXIT_OK } from "./exit-codes.js";

export async function runRun(args: RunArgs): Promise<number> {
  const say = (line: string): void => void process.stderr.write(`halb run: ${line}\n`);
  const options: LoadBalancerOptions = {
    outDir: args.out,
    nodeName: args.node,
    master: args.master,
    env: process.env,
    jsonLogs: args.logFormat === "json",
    log: { request: (line) => void process.stdout.write(`${line}\n`), event: (line) => void process.stdout.write(`${line}\n`) },
  };
  if (cluster.isWorker) {
    await runWorker(options, Number(process.env["HALB_WORKER_INDEX"]), Number(process.env["HALB_WORKER_COUNT"]));
    return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
  }
  let ir: Ir;
  try {
    const validate = (): Ir => {
      const ir = loadIr(args.out);
      nodeNamed(ir, args.node);
      return ir;
    };
    ir = validate();
    const threads = ir.haproxy.global.nbthread ?? 1;
    if (threads > 1) {
      const vrrp = args.master ? null : { udpPort: args.vrrpPort, wire: args.vrrp, env: process.env, log: (line: string) => void process.stdout.write(`${line}\n`) };
      return await runPrimary({ count: threads, graceMs: args.grace * 1000, validate, say, nodeName: args.node, vrrp });
    }
  } catch (error) {
    if (error instanceof RunInputError) {
      say(`error: ${error.message}`);
      return EXIT_FATAL;
    }
    throw error;
  }
  let balancer: LoadBalancer;
  try {
    balancer = await LoadBalancer.start(options, ir);
  } catch (error) {
    if (error instanceof RunInputError || error instanceof ListenError) {
      say(`error: ${error.message}`);
      return EXIT_FATAL;
    }
    throw error;
  }
  let vrrp: VrrpNode | null = null;
  if (!args.master) {
    try {
      vrrp = await startVrrpNode({
        ir: balancer.runtime!.ir,
        nodeName: args.node,
        balancer,
        env: process.env,
        udpPort: args.vrrpPort,
        wire: args.vrrp,
        log: (line) => void process.stdout.write(`${line}\n`),
      });
    } catch (error) {
      if (!(error instanceof RunInputError)) throw error;
      say(`error: ${error.message}`);
      await balancer.stop(0);
      return EXIT_FATAL;
    }
  }
  const role = vrrp ? ` (VRRP over ${vrrp.wire})` : " (master, no VRRP)";
  say(`node ${args.node}${role} serving ${balancer.addresses.join(", ") || "nothing"} (pid ${process.pid})`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        say(`${signal} again: stopping now`);
        process.exit(EXIT_OK);
      }
      stopping = true;
      say(`${signal}: finishing requests in flight (up to ${args.grace}s), then stopping`);
      // Priority 0 first, so the backup takes the VIPs at once (Keepalived's shutdown).
      void (vrrp?.stop() ?? Promise.resolve()).then(() => balancer.stop(args.grace * 1000)).then(() => {
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
