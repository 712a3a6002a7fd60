/** Balancing, persistence, health checks and servers of a backend or listen section. */
import type { IrCookie, IrHealth, IrPool, IrServer } from "../../ir/types.js";
import { assertNever } from "../../util/internal-error.js";
import { type ConfigWriter, haproxyWord } from "../config-writer.js";
import { hostPort } from "./bind.js";
import type { HaproxyContext } from "./context.js";
import { haproxyDuration } from "./duration.js";

/**
 * ```
 * balance roundrobin
 * cookie SERVERID insert indirect nocache
 * option httpchk
 * http-check send meth GET uri /index.html
 * http-check expect status 200
 * server webapp1 192.168.66.20:80 weight 6 cookie webapp1 check inter 2s rise 2 fall 3
 * ```
 */
export function writePool(w: ConfigWriter, ctx: HaproxyContext, pool: IrPool): void {
  w.from("balance", () => w.line("balance", pool.balance));
  const { cookie, health } = pool;
  if (cookie) w.from("cookie", () => writeCookie(w, ctx, cookie));
  if (health) w.from("health", () => writeHealth(w, ctx, health));
  pool.servers.forEach((server, i) => w.from(`servers/${i}`, () => writeServer(w, server, health)));
}

/** `cookie NAME insert|rewrite|prefix [indirect] [nocache] [httponly] [secure]` */
function writeCookie(w: ConfigWriter, ctx: HaproxyContext, cookie: IrCookie): void {
  const flags = (["indirect", "nocache", "httponly", "secure"] as const).filter((flag) => cookie[flag]);
  w.line("cookie", ctx.text(cookie.name), cookie.method, ...flags);
}

/**
 * `option httpchk` + `http-check send meth GET uri /x` (the 2.2+ form; `option httpchk GET /x` is
 * the legacy one) + `http-check expect status 200`. HAProxy 2.6 accepts both without a warning.
 * A tcp check needs no directive here: `check` on the server is a connect check.
 */
function writeHealth(w: ConfigWriter, ctx: HaproxyContext, health: IrHealth): void {
  switch (health.kind) {
    case "http":
      w.line("option", "httpchk");
      w.line("http-check", "send", "meth", haproxyWord(health.method), "uri", ctx.text(health.path));
      if (health.expectStatus !== undefined) w.line("http-check", "expect", "status", health.expectStatus);
      return;
    case "tcp":
      return;
    default:
      assertNever(health, "health check");
  }
}

/** `server NAME ADDR:PORT [weight N] [maxconn N] [backup] [disabled] [cookie V] [check inter D rise N fall N]` */
function writeServer(w: ConfigWriter, server: IrServer, health: IrHealth | undefined): void {
  const words: (string | number)[] = ["server", haproxyWord(server.name), hostPort(server.address, server.family, server.port)];
  if (server.weight !== 1) words.push("weight", server.weight);
  if (server.maxconn !== undefined) words.push("maxconn", server.maxconn);
  if (server.backup) words.push("backup");
  if (server.disabled) words.push("disabled");
  if (server.cookie !== undefined) words.push("cookie", haproxyWord(server.cookie));
  if (server.check && health) words.push("check", "inter", haproxyDuration(health.intervalMs), "rise", health.rise, "fall", health.fall);
  w.line(...words);
}
