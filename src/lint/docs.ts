/**
 * Where a rule's documentation lives: docs/rules/ID.md in the package (read by `halb explain` and
 * embedded in SARIF), and the same page on the project's home (package.json `homepage`) as a link.
 */
import { existsSync, readFileSync } from "node:fs";
import { PACKAGE_JSON, packagePath } from "../package-root.js";

export function ruleDocPath(id: string): string {
  return packagePath(`docs/rules/${id}.md`);
}

/** The page's text, or undefined when the package has none for this id. */
export function ruleDoc(id: string): string | undefined {
  const path = ruleDocPath(id);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** An absolute link to the rule's page, for SARIF `helpUri` and messages. */
export function ruleDocUrl(id: string): string {
  return `${PACKAGE_JSON.homepage.replace(/\/+$/, "")}/blob/main/docs/rules/${id}.md`;
}
