/**
 * What `raw` lines do that halb cannot model: add servers, choose a backend, or answer a request
 * themselves. Rules about missing servers or routes stay quiet when a raw line may provide them.
 */
import type { Located } from "../../../analyze/model.js";
import type { LintedSpec } from "../../linted-spec.js";
import { proxyLabel } from "../../queries.js";
import { rawKeyword, rawWords } from "../../statements.js";

export interface RawLine {
  /** `` `global` ``, `` frontend `www` ``…, for messages. */
  readonly where: string;
  readonly line: Located<string>;
}

/** Every raw line of the spec, with the block it stands in. */
export function allRawLines(spec: LintedSpec): RawLine[] {
  const { model } = spec;
  const from = (where: string, lines: readonly Located<string>[]): RawLine[] => lines.map((line) => ({ where, line }));
  return [
    ...from("`global`", model.global.raw),
    ...from("`defaults`", model.defaults.raw),
    ...from("`stats`", model.stats?.raw ?? []),
    ...[...model.frontends, ...model.listens, ...model.backends].flatMap((p) => from(proxyLabel(p), p.raw)),
  ];
}

const SERVER_KEYWORDS = new Set(["server", "server-template", "dispatch"]);
const ROUTING_KEYWORDS = new Set(["use_backend", "default_backend", "redirect", "stats", "monitor-uri"]);
// http-request/tcp-request actions that end the request without a backend's server.
const TERMINAL_ACTIONS = new Set(["return", "redirect", "deny", "tarpit", "reject", "silent-drop", "use-service"]);

/** A raw line adds servers (`server`, `server-template`, `dispatch`) that halb cannot count. */
export function rawAddsServers(raw: readonly Located<string>[]): boolean {
  return raw.some((line) => SERVER_KEYWORDS.has(rawKeyword(line.value)));
}

/** A raw line picks a backend or answers requests itself (a redirect, a `return`, the stats page…). */
export function rawRoutesOrAnswers(raw: readonly Located<string>[]): boolean {
  return raw.some((line) => {
    const [keyword = "", ...rest] = rawWords(line.value);
    if (ROUTING_KEYWORDS.has(keyword)) return true;
    return (keyword === "http-request" || keyword === "tcp-request") && rest.some((word) => TERMINAL_ACTIONS.has(word));
  });
}
