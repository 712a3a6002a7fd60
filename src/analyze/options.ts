/**
 * The HAProxy options halb knows: where each may stand (HAProxy's d/f/l/b capability columns)
 * and whether it needs `mode http`. Lowering uses this to push HTTP-only options from `defaults`
 * into the HTTP proxies only, so a TCP proxy never inherits one (HAProxy would warn).
 */
export type SectionCapability = "defaults" | "frontend" | "listen" | "backend";

interface OptionInfo {
  readonly sections: readonly SectionCapability[];
  readonly httpOnly: boolean;
}

const all: readonly SectionCapability[] = ["defaults", "frontend", "listen", "backend"];
const frontSide: readonly SectionCapability[] = ["defaults", "frontend", "listen"];
const backSide: readonly SectionCapability[] = ["defaults", "listen", "backend"];

export const knownOptions: Readonly<Record<string, OptionInfo>> = {
  httplog: { sections: frontSide, httpOnly: true },
  tcplog: { sections: frontSide, httpOnly: false },
  dontlognull: { sections: frontSide, httpOnly: false },
  logasap: { sections: frontSide, httpOnly: false },
  clitcpka: { sections: frontSide, httpOnly: false },
  forwardfor: { sections: all, httpOnly: true },
  "http-server-close": { sections: all, httpOnly: true },
  "http-keep-alive": { sections: all, httpOnly: true },
  httpclose: { sections: all, httpOnly: true },
  "http-buffer-request": { sections: all, httpOnly: true },
  tcpka: { sections: all, httpOnly: false },
  redispatch: { sections: backSide, httpOnly: false },
  abortonclose: { sections: backSide, httpOnly: false },
  allbackups: { sections: backSide, httpOnly: false },
  "log-health-checks": { sections: backSide, httpOnly: false },
  srvtcpka: { sections: backSide, httpOnly: false },
};

/** Options that have their own statement in .hal. */
export const optionsWithStatements: Readonly<Record<string, string>> = {
  httpchk: "write `health http METHOD PATH …` instead",
  "tcp-check": "write `health tcp …` instead",
};

/** The order options are written in, so output does not depend on the order of the spec. */
export const optionOrder: readonly string[] = Object.keys(knownOptions);

/** `httplog` and `tcplog` choose the log line's format: only one is in force, and only where something is logged. */
export function isLogFormat(name: string): boolean {
  return name === "httplog" || name === "tcplog";
}

export function optionInfo(name: string): OptionInfo | undefined {
  return Object.hasOwn(knownOptions, name) ? knownOptions[name] : undefined;
}
