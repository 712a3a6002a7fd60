/** 99-halb.sysctl.conf: lets the backup's HAProxy bind VIPs it does not hold yet. */
import type { Ir } from "../ir/types.js";
import { ConfigWriter } from "./config-writer.js";
import { writeHeader } from "./header.js";

/**
 * ```
 * net.ipv4.ip_nonlocal_bind = 1
 * net.ipv6.ip_nonlocal_bind = 1      (with an IPv6 VIP)
 * ```
 */
export function emitSysctl(ir: Ir, nodeName: string): string {
  const w = new ConfigWriter();
  writeHeader(w, ir, nodeName);
  w.comment("Install as /etc/sysctl.d/99-halb.conf and run `sysctl --system`: HAProxy on the backup");
  w.comment("must bind the VIPs before Keepalived moves them to it.");
  w.line("net.ipv4.ip_nonlocal_bind = 1");
  if (ir.cluster.vips.some((vip) => vip.family === 6)) w.line("net.ipv6.ip_nonlocal_bind = 1");
  return w.text();
}
