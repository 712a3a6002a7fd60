/** What the haproxy.cfg emitters share while writing one node's file. */
import type { Ir, IrNode, IrSecret } from "../../ir/types.js";
import { haproxyQuoted, haproxyQuotedWithEnv } from "../config-writer.js";

export class HaproxyContext {
  /** Environment variables the file expands (`"${NAME}"`), in order of first use. */
  readonly envNames: string[] = [];
  /** Whether a secret written in the spec itself (`{value}`) is in the file. */
  literalSecret = false;

  constructor(
    readonly ir: Ir,
    readonly node: IrNode,
  ) {}

  /**
   * A double-quoted word `"prefix<secret>"`: an env secret as `${NAME}`, which HAProxy expands from its
   * environment, so its value never reaches haproxy.cfg; a spec value literally (the file becomes 0600).
   */
  quotedSecret(prefix: string, secret: IrSecret): string {
    if ("env" in secret) {
      if (!this.envNames.includes(secret.env)) this.envNames.push(secret.env);
      return haproxyQuotedWithEnv(prefix, secret.env);
    }
    this.literalSecret = true;
    return haproxyQuoted(prefix + secret.value);
  }
}
