/**
 * A CommandRunner that runs nothing: it records each argv and answers from a small model of one
 * host's addresses (what `ip -j addr show`, `ip route get`, `ip addr add/del` and `arping` would
 * say), so the unit tests can check the exact commands VipManager issues.
 */
import type { CommandResult, CommandRunner } from "../../../src/runtime/vrrp/vip-manager.js";

export interface FakeHost {
  readonly run: CommandRunner;
  /** Every argv run, in order. */
  readonly calls: string[][];
  /** Addresses per device, `ADDR/PREFIX`. */
  readonly addresses: Map<string, string[]>;
  /** Devices that are loopback (no ARP). */
  readonly loopbacks: Set<string>;
  /** Answers an argv instead of the model (return undefined to fall through). */
  override?: (argv: readonly string[]) => CommandResult | undefined;
}

const ok = (stdout = ""): CommandResult => ({ exitCode: 0, signal: null, stdout, stderr: "" });
const fail = (exitCode: number, stderr: string): CommandResult => ({ exitCode, signal: null, stdout: "", stderr });

export function fakeHost(devices: Record<string, string[]> = { lo: ["127.0.0.1/8"], eth0: ["198.18.0.1/24"] }): FakeHost {
  const host: FakeHost = {
    calls: [],
    addresses: new Map(Object.entries(devices).map(([dev, list]) => [dev, [...list]])),
    loopbacks: new Set(["lo"]),
    run: async (argv) => {
      host.calls.push([...argv]);
      const answer = host.override?.(argv);
      return answer ?? model(host, argv);
    },
  };
  return host;
}

function model(host: FakeHost, argv: readonly string[]): CommandResult {
  const line = argv.join(" ");
  if (line === "ip -j addr show") {
    const links = [...host.addresses].map(([dev, list]) => ({
      ifname: dev,
      flags: host.loopbacks.has(dev) ? ["LOOPBACK", "UP", "LOWER_UP"] : ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
      link_type: host.loopbacks.has(dev) ? "loopback" : "ether",
      addr_info: list.map((cidr) => {
        const [local = "", prefix = ""] = cidr.split("/");
        return { family: local.includes(":") ? "inet6" : "inet", local, prefixlen: Number(prefix) };
      }),
    }));
    return ok(JSON.stringify(links));
  }
  const routeGet = /^ip -j -[46] route get (\S+)$/.exec(line);
  if (routeGet) {
    const address = routeGet[1] ?? "";
    if (address.startsWith("127.")) return ok(JSON.stringify([{ type: "local", dst: address, dev: "lo" }]));
    return fail(2, "RTNETLINK answers: Network is unreachable\n");
  }
  const change = /^ip -[46] addr (add|del) (\S+) dev (\S+)/.exec(line);
  if (change) {
    const [, verb, cidr = "", dev = ""] = change;
    const list = host.addresses.get(dev);
    if (!list) return fail(1, `Cannot find device "${dev}"\n`);
    const at = list.indexOf(cidr);
    if (verb === "add") {
      if (at >= 0) return fail(2, "Error: ipv4: Address already assigned.\n");
      list.push(cidr);
    } else {
      if (at < 0) return fail(2, "Error: ipv4: Address not found.\n");
      list.splice(at, 1);
    }
    return ok();
  }
  if (argv[0] === "arping") return ok("Sent 1 probes (1 broadcast(s))\n");
  return fail(1, `fake host: unexpected command ${line}\n`);
}
