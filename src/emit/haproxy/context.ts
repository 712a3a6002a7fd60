/** What the haproxy.cfg emitters share while writing one node's file. */
import type { Ir, IrNode, IrSecret, IrText } from "../../ir/types.js";
import { haproxyQuotedParts, haproxyWord, type QuotedPart } from "../config-writer.js";

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
   * Text the spec may have taken from the environment: `"${NAME}"`, which HAProxy expands from its
   * own environment (contract §9), or the literal, bare when that is safe.
   */
  text(text: IrText): string {
    return typeof text === "string" ? haproxyWord(text) : haproxyQuotedParts([this.part(text)]);
  }

  /** Always double-quoted, for values such as the realm that read as one phrase. */
  quotedText(text: IrText): string {
    return haproxyQuotedParts([this.part(text)]);
  }

  /**
   * `"USER:PASSWORD"` for `stats auth`: an env secret as `${NAME}`, so its value never reaches
   * haproxy.cfg; a password written in the spec literally (the file becomes 0600).
   */
  quotedAuth(user: IrText, password: IrSecret): string {
    if ("value" in password) this.literalSecret = true;
    return haproxyQuotedParts([this.part(user), ":", "value" in password ? password.value : this.part(password)]);
  }

  private part(text: IrText): QuotedPart {
    if (typeof text === "string") return text;
    if (!this.envNames.includes(text.env)) this.envNames.push(text.env);
    return { env: text.env };
  }
}
