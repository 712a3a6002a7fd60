/** Keepalived's `global_defs`. */
import type { IrCluster, IrNode } from "../../ir/types.js";
import { type ConfigWriter, keepalivedWord } from "../config-writer.js";

/**
 * ```
 * global_defs {
 *     router_id haproxy-server
 *     notification_email {
 *         admin@zb.com
 *     }
 *     notification_email_from keepalived@zb.com
 *     smtp_server 127.0.0.1 25
 *     smtp_connect_timeout 30
 *     enable_script_security
 *     script_user root
 * }
 * ```
 * `script_user root` is required with script security: without it `keepalived -t` exits 5
 * ("Unable to set default user keepalived_script") on hosts without that user.
 */
export function writeGlobalDefs(w: ConfigWriter, cluster: IrCluster, node: IrNode): void {
  w.block("global_defs", () => {
    w.line("router_id", keepalivedWord(node.name));
    const email = cluster.notify.email;
    if (email) {
      w.block("notification_email", () => {
        for (const to of email.to) w.line(keepalivedWord(to));
      });
      w.line("notification_email_from", keepalivedWord(email.from));
      w.line("smtp_server", keepalivedWord(email.smtp.host), email.smtp.port);
      w.line("smtp_connect_timeout", 30);
    }
    w.line("enable_script_security");
    w.line("script_user", "root");
  });
}
