/** `frontend` sections. */
import type { IrAcl, IrFrontend } from "../../ir/types.js";
import { assertNever } from "../../util/internal-error.js";
import { type ConfigWriter, haproxyWord } from "../config-writer.js";
import { writeBinds } from "./bind.js";
import type { HaproxyContext } from "./context.js";
import { writeProxyCommon } from "./proxy-common.js";
import { writeRaw } from "./raw.js";

/**
 * ```
 * frontend www
 *     bind 192.168.66.10:80
 *     mode http
 *     option httplog
 *     acl host_www_zb_com hdr_dom(host) -i www.zb.com
 *     acl path_api path_beg /api/
 *     use_backend server_www if host_www_zb_com
 *     default_backend server_www
 * ```
 */
export function writeFrontend(w: ConfigWriter, ctx: HaproxyContext, frontend: IrFrontend): void {
  w.section(`frontend ${frontend.name}`, () => {
    writeBinds(w, frontend.binds, ctx.node);
    writeProxyCommon(w, ctx, frontend);
    frontend.acls.forEach((acl, i) => w.from(`acls/${i}`, () => writeAcl(w, acl)));
    frontend.routes.forEach((route, i) => w.from(`routes/${i}`, () => w.line("use_backend", route.backend, "if", ...route.acls)));
    const fallback = frontend.defaultBackend;
    if (fallback !== undefined) w.from("defaultBackend", () => w.line("default_backend", fallback));
    writeRaw(w, frontend.raw);
  });
}

/** `acl NAME hdr_dom(host) -i HOST` or `acl NAME path_beg PREFIX` */
function writeAcl(w: ConfigWriter, acl: IrAcl): void {
  switch (acl.kind) {
    case "host":
      w.line("acl", acl.name, "hdr_dom(host)", "-i", haproxyWord(acl.value));
      return;
    case "path":
      w.line("acl", acl.name, "path_beg", haproxyWord(acl.value));
      return;
    default:
      assertNever(acl.kind, "acl kind");
  }
}
