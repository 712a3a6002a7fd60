/** What `halb explain` prints: the rule's doc page, or the compiler catalog's entry. */
import { catalog, type Code } from "../diagnostics/catalog.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { ruleDoc } from "../lint/docs.js";
import { knownRuleKeys, ruleById } from "../lint/registry.js";
import { EXIT_FATAL, EXIT_OK } from "./exit-codes.js";

export function runExplain(id: string): number {
  const rule = ruleById(id);
  if (rule) {
    const doc = ruleDoc(rule.meta.id);
    process.stdout.write(doc ?? `# ${rule.meta.id} ${rule.meta.name}\n\n${rule.meta.summary}\n`);
    return EXIT_OK;
  }
  const code = id.toUpperCase() as Code;
  const entry = catalog[code];
  if (entry) {
    process.stdout.write(`# ${code} ${entry.name}\n\nSeverity: ${entry.severity} (compiler)\n\n${entry.help}\n`);
    return EXIT_OK;
  }
  process.stderr.write(`halb: \`${id}\` is neither a lint rule nor a compiler code.${didYouMean(id, [...knownRuleKeys(), ...Object.keys(catalog)])}\n`);
  return EXIT_FATAL;
}
