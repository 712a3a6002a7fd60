/** `backend` and `listen` sections: a server pool, the latter with its own binds. */
import type { IrBackend, IrListen } from "../../ir/types.js";
import type { ConfigWriter } from "../config-writer.js";
import { writeBinds } from "./bind.js";
import type { HaproxyContext } from "./context.js";
import { writePool } from "./pool.js";
import { writeProxyCommon } from "./proxy-common.js";
import { writeRaw } from "./raw.js";

/**
 * ```
 * backend server_www
 *     mode http
 *     option redispatch
 *     balance roundrobin
 *     server webapp1 192.168.66.20:80 weight 6 check inter 2s rise 2 fall 3
 * ```
 */
export function writeBackend(w: ConfigWriter, ctx: HaproxyContext, backend: IrBackend): void {
  w.section(`backend ${backend.name}`, () => {
    writeProxyCommon(w, ctx, backend);
    writePool(w, ctx, backend);
    writeRaw(w, backend.raw);
  });
}

/**
 * ```
 * listen mysql
 *     bind 192.168.66.10:3306
 *     mode tcp
 *     balance leastconn
 *     server db1 192.168.66.30:3306 maxconn 200 check inter 2s rise 2 fall 3
 * ```
 */
export function writeListen(w: ConfigWriter, ctx: HaproxyContext, listen: IrListen): void {
  w.section(`listen ${listen.name}`, () => {
    writeBinds(w, listen.binds, ctx.node);
    writeProxyCommon(w, ctx, listen);
    writePool(w, ctx, listen);
    writeRaw(w, listen.raw);
  });
}
