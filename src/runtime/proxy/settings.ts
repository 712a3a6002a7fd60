/**
 * What a proxy section means at run time, read once from the IR: the effective options, timeouts
 * and retries (own value, else the defaults', else HAProxy's default), with `env(…)` texts resolved.
 */
import type { IrCookie, IrDefaults, IrProxyCommon, IrText, IrTimeouts, Mode } from "../../ir/types.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** HAProxy's `retries` default (configuration.txt: "retries 3"). */
const DEFAULT_RETRIES = 3;

export interface ProxyTimeouts {
  /** 0 means no limit, as an unset timeout is in HAProxy. */
  readonly connect: number;
  readonly client: number;
  readonly server: number;
  readonly queue: number;
  readonly tunnel: number;
  readonly httpRequest: number;
  readonly httpKeepAlive: number;
}

export interface ProxySettings {
  readonly name: string;
  readonly mode: Mode;
  readonly options: ReadonlySet<string>;
  readonly timeouts: ProxyTimeouts;
  readonly retries: number;
}

export interface CookieSettings extends Omit<IrCookie, "name"> {
  readonly name: string;
}

export function proxySettings(proxy: IrProxyCommon, defaults: IrDefaults): ProxySettings {
  return {
    name: proxy.name,
    mode: proxy.mode,
    options: new Set([...defaults.options, ...proxy.options]),
    timeouts: effectiveTimeouts({ ...defaults.timeouts, ...proxy.timeouts }),
    retries: proxy.retries ?? defaults.retries ?? DEFAULT_RETRIES,
  };
}

function effectiveTimeouts(t: IrTimeouts): ProxyTimeouts {
  const connect = t.connect ?? 0;
  const httpRequest = t["http-request"] ?? 0;
  return {
    connect,
    client: t.client ?? 0,
    server: t.server ?? 0,
    // `timeout connect` presets `timeout queue`; `http-keep-alive` falls back to `http-request`.
    queue: t.queue ?? connect,
    tunnel: t.tunnel ?? 0,
    httpRequest,
    httpKeepAlive: t["http-keep-alive"] ?? httpRequest,
  };
}

export function resolveText(text: IrText, env: Environment): string {
  return typeof text === "string" ? text : (env[text.env] ?? "");
}

export function cookieSettings(cookie: IrCookie | undefined, env: Environment): CookieSettings | null {
  if (!cookie) return null;
  return { ...cookie, name: resolveText(cookie.name, env) };
}
