/**
 * What a finding's code stands for, whichever kind it is: a lint rule (HAP001, with a doc page),
 * a compiler diagnostic (HAL2003, from the catalog), or a code neither knows (say, one added by
 * `--verify`), which every format must still print rather than drop.
 */
import { catalog, type Code } from "../../diagnostics/catalog.js";
import type { Severity } from "../../diagnostics/diagnostic.js";
import { ruleDoc, ruleDocUrl } from "../docs.js";
import { ruleById } from "../registry.js";
import type { AnyRule } from "../rule.js";

export interface CodeInfo {
  readonly id: string;
  /** kebab-case: the rule's name, or the catalog's name of a compiler code. */
  readonly name?: string;
  /** A rule's category, `compiler` for HAL codes, `other` for unknown codes. */
  readonly category: string;
  readonly defaultSeverity?: Severity;
  /** One sentence. */
  readonly summary: string;
  /** A few sentences: the doc page's "What it detects", or the catalog's help. */
  readonly description: string;
  /** The whole doc page (markdown), for rules that have one. */
  readonly doc?: string;
  readonly helpUri?: string;
}

export function describeRule(rule: AnyRule): CodeInfo {
  const { id, name, category, severity, summary } = rule.meta;
  const doc = ruleDoc(id);
  return { id, name, category, defaultSeverity: severity, summary, description: (doc && section(doc, "What it detects")) || summary, ...(doc ? { doc } : {}), helpUri: ruleDocUrl(id) };
}

/** Per code, once per process: a report of thousands of findings would read the same page each time. */
const described = new Map<string, CodeInfo>();

export function describeCode(code: string): CodeInfo {
  let info = described.get(code);
  if (!info) described.set(code, (info = describeUncached(code)));
  return info;
}

function describeUncached(code: string): CodeInfo {
  const rule = ruleById(code);
  if (rule && rule.meta.id === code) return describeRule(rule);
  if (Object.hasOwn(catalog, code)) {
    const entry = catalog[code as Code];
    return { id: code, name: entry.name, category: "compiler", defaultSeverity: entry.severity, summary: entry.help, description: entry.help };
  }
  return { id: code, category: "other", summary: code, description: code };
}

/** `HAP001 unused-backend`: how a finding is titled wherever there is room for both. */
export function codeTitle(info: CodeInfo): string {
  return info.name ? `${info.id} ${info.name}` : info.id;
}

/**
 * The text under a `## heading` of a doc page, up to the next heading (outside code fences), with
 * prose lines that the page wraps at ~100 columns joined: plain-text fields are reflowed by viewers.
 */
function section(markdown: string, heading: string): string | undefined {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return undefined;
  const body: string[] = [];
  let fenced = false;
  let prose = false;
  for (const line of lines.slice(start + 1)) {
    if (!fenced && /^#{1,2} /.test(line)) break;
    const fence = line.startsWith("```");
    if (fence) fenced = !fenced;
    const continues = !fenced && !fence && prose && line !== "" && !/^(\s|[-*>|]|\d+\. )/.test(line);
    if (continues) body[body.length - 1] += ` ${line}`;
    else body.push(line);
    prose = !fenced && !fence && line !== "";
  }
  return body.join("\n").trim() || undefined;
}
