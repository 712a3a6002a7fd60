/**
 * What the health checker needs to know about each server, read from the IR: the same facts
 * src/emit/haproxy/pool.ts writes into haproxy.cfg (`option httpchk`, `http-check send meth … uri …`,
 * `http-check expect status …`, `server … [disabled] check inter … rise … fall …`), plus the
 * proxy's effective `timeout check` / `timeout connect`.
 */
import type { Ir, IrPool, IrProxyCommon, IrServer, IrText, IrTimeouts } from "../../ir/types.js";
import { type CheckTimeLimits, checkTimeLimits } from "./check-limits.js";
import type { HttpCheckRequest } from "./http-check.js";

/** The check a server runs; absent for servers without `check`, which are always UP. */
export type CheckPlan = {
  readonly intervalMs: number;
  readonly rise: number;
  readonly fall: number;
  readonly limits: CheckTimeLimits;
} & ({ readonly kind: "tcp" } | ({ readonly kind: "http" } & HttpCheckRequest));

export interface HealthTarget {
  /** The backend or listen section. */
  readonly proxy: string;
  /** HAProxy calls a backend "backend" and a listen section "proxy" in its messages. */
  readonly proxyKind: "backend" | "listen";
  readonly server: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly weight: number;
  readonly backup: boolean;
  /** `disabled`: in maintenance (MAINT) from the start; not checked while so. */
  readonly disabled: boolean;
  readonly check: CheckPlan | null;
}

/** `ENV` holds the variables the IR refers to (`path` may be `{ env }`, expanded as HAProxy expands `"${NAME}"`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Every server of every listen and backend, in haproxy.cfg order (listens, then backends, each in
 * IR order): that order decides how the first checks are spread.
 */
export function healthTargetsFromIr(ir: Ir, env: Environment): HealthTarget[] {
  const defaults = ir.haproxy.defaults.timeouts;
  return [
    ...ir.haproxy.listens.flatMap((listen) => poolTargets(listen, "listen", defaults, env)),
    ...ir.haproxy.backends.flatMap((backend) => poolTargets(backend, "backend", defaults, env)),
  ];
}

function poolTargets(proxy: IrProxyCommon & IrPool, proxyKind: HealthTarget["proxyKind"], defaults: IrTimeouts, env: Environment): HealthTarget[] {
  const timeouts: IrTimeouts = { ...defaults, ...proxy.timeouts };
  return proxy.servers.map((server) => ({
    proxy: proxy.name,
    proxyKind,
    server: server.name,
    address: server.address,
    family: server.family,
    port: server.port,
    weight: server.weight,
    backup: server.backup,
    disabled: server.disabled,
    check: checkPlan(proxy, server, timeouts, env),
  }));
}

function checkPlan(pool: IrPool, server: IrServer, timeouts: IrTimeouts, env: Environment): CheckPlan | null {
  const health = pool.health;
  if (!server.check || !health) return null;
  const common = { intervalMs: health.intervalMs, rise: health.rise, fall: health.fall, limits: checkTimeLimits(health.intervalMs, timeouts) };
  if (health.kind === "tcp") return { ...common, kind: "tcp" };
  const path = expand(health.path, env);
  return health.expectStatus === undefined
    ? { ...common, kind: "http", method: health.method, path }
    : { ...common, kind: "http", method: health.method, path, expectStatus: health.expectStatus };
}

function expand(text: IrText, env: Environment): string {
  if (typeof text === "string") return text;
  const value = env[text.env];
  if (value === undefined) throw new Error(`environment variable ${text.env} is not set (the health check path refers to it)`);
  return value;
}
