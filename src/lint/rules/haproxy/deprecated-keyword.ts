import type { HaproxyVersion } from "../../../ir/types.js";
import type { SpecRule } from "../../rule.js";
import { rawWords } from "../../statements.js";
import { allRawLines } from "./raw-lines.js";

/**
 * HAProxy warns about deprecated keywords at every start (fatal under `zero-warning`) and drops
 * them in a later version, where the same haproxy.cfg no longer starts. halb writes none itself;
 * raw lines can. Keywords already removed in the target are refused by compile (HAL2009).
 */
export const deprecatedKeyword: SpecRule = {
  meta: {
    id: "HAP014",
    name: "deprecated-keyword",
    category: "haproxy",
    severity: "warning",
    summary: "A `raw` line using a keyword that the target HAProxy version deprecates (or removed from a `bind` line).",
  },
  scope: "spec",
  check({ spec, report }) {
    const target = spec.ir.target.haproxy;
    for (const { line } of allRawLines(spec)) {
      const words = rawWords(line.value);
      const found = deprecations.find((d) => d.matches(words, line.value) && atLeast(target, d.deprecatedIn));
      if (!found) continue;
      const removed = found.removedIn !== undefined && atLeast(target, found.removedIn);
      report({
        span: line.span,
        message: removed
          ? `${found.what} was removed in HAProxy ${found.removedIn}: HAProxy ${target} refuses to start with this line.`
          : found.removedIn
            ? `${found.what} is deprecated in HAProxy ${target} and removed in ${found.removedIn}: HAProxy warns at every start, and after an upgrade it refuses to start.`
            : `${found.what} is deprecated in HAProxy ${target}: HAProxy warns at every start (an error under \`zero-warning\`), and a later version may refuse it.`,
        notes: [{ message: found.instead }],
      });
    }
  },
};

interface Deprecation {
  readonly what: string;
  readonly deprecatedIn: string;
  readonly removedIn?: string;
  readonly instead: string;
  matches(words: readonly string[], line: string): boolean;
}

/** Per HAProxy's own deprecation warnings (src/cfgparse*.c) and configuration manuals. */
const deprecations: readonly Deprecation[] = [
  {
    what: "`bind-process`",
    deprecatedIn: "2.6",
    removedIn: "2.7",
    instead: "remove the line: HAProxy runs one process with threads, spread over the CPUs automatically",
    matches: (words) => words[0] === "bind-process",
  },
  {
    what: "`process` on a `bind` line",
    deprecatedIn: "2.6",
    removedIn: "2.7",
    instead: "remove `process …` from the bind line (use `thread …` to pin it to threads, if needed at all)",
    matches: (words) => words[0] === "bind" && words.slice(2).includes("process"),
  },
  {
    what: "`tune.ssl.capture-cipherlist-size`",
    deprecatedIn: "2.6",
    instead: "write `tune.ssl.capture-buffer-size` with the same value",
    matches: (words) => words[0] === "tune.ssl.capture-cipherlist-size",
  },
  {
    what: "`option httpchk` with headers after its HTTP version",
    deprecatedIn: "2.2",
    instead: "write `health http METHOD PATH`, and send headers with `http-check send hdr NAME VALUE` in a raw line",
    matches: (words, line) => words[0] === "option" && words[1] === "httpchk" && line.includes("\\r\\n"),
  },
];

function atLeast(target: HaproxyVersion, version: string): boolean {
  return versionNumber(target) >= versionNumber(version);
}

function versionNumber(version: string): number {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major * 100 + minor;
}
