/** `halb run OUT --node NAME [--master]`: serve as one node of the compiled pair, VRRP deciding who is master. */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { VrrpWire } from "../../runtime/vrrp/start.js";
import { DEFAULT_VRRP_UDP_PORT } from "../../runtime/vrrp/transport.js";

export interface RunArgs {
  out: string;
  node: string;
  master: boolean;
  logFormat: "text" | "json";
  grace: number;
  vrrpPort: number;
  vrrp: VrrpWire;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: "run <out>",
  describe: "Serve OUT/ir.json as one node: listeners, routing, balancing, health checks, statistics",
  builder: (yargs: Argv) =>
    yargs
      .positional("out", { type: "string", describe: "The folder `halb compile` wrote", demandOption: true })
      .option("node", { type: "string", describe: "The cluster node to run as", demandOption: true })
      .option("master", { type: "boolean", default: false, describe: "Serve the VIP binds without VRRP (no failover)" })
      .option("vrrp", { choices: ["auto", "raw", "udp"] as const, default: "auto" as const, describe: "VRRP adverts: raw = IP protocol 112 like Keepalived (root), udp = between halb run nodes only, auto = raw when possible" })
      .option("vrrp-port", { type: "number", default: DEFAULT_VRRP_UDP_PORT, describe: "UDP port of the VRRP adverts between halb run nodes" })
      .option("log-format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Request log lines: HAProxy's httplog/tcplog text, or JSON" })
      .option("grace", { type: "number", default: 10, describe: "Seconds to let requests in flight finish on SIGTERM/SIGINT" })
      .group(["node", "master", "vrrp", "vrrp-port", "log-format", "grace"], "Run options:")
      .example("$0 run out/ --node lb1", "serve as lb1: VRRP with the other nodes decides who serves the VIPs; SIGHUP reloads out/")
      .example("$0 run out/ --node lb1 --master", "serve lb1's frontends, VIPs included, without VRRP") as unknown as Argv<RunArgs>,
  handler: async (argv: ArgumentsCamelCase<RunArgs>) => {
    const { runRun } = await import("../run-run.js");
    process.exitCode = await runRun(argv);
  },
};
