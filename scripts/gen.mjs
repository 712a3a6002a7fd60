#!/usr/bin/env node
/**
 * Writes the generated artefacts that are committed, so changes show up in review diffs:
 *
 *   grammar/serialized.json  the parser's productions (chevrotain's getSerializedGastProductions)
 *   grammar/diagrams.html    railroad diagrams of the same productions (createSyntaxDiagramsCode)
 *   docs/rules/README.md     the table of lint rules (src/lint/rule-table.ts)
 *   src/ir/generated/ir-validator.ts  the IR schema's validator as code (scripts/ir-validator-code.mjs)
 *
 * Reads the BUILT parser: run `npm run build && npm run gen`. test/meta/grammar.test.ts fails when
 * the committed files no longer match the parser in src/.
 *
 * diagrams.html loads chevrotain's diagram renderer from the chevrotain package installed next to
 * this repository (`../node_modules/chevrotain/diagrams/`, through the `resourceBase` and `css`
 * options), not from the unpkg CDN that chevrotain uses by default: the viewer works offline in a
 * checkout after `npm install`, and the file does not change unless the grammar does.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";

const root = new URL("../", import.meta.url);
const builtParser = new URL("dist/syntax/parse.js", root);
const grammarDir = new URL("grammar/", root);

/** Relative to grammar/diagrams.html. */
const DIAGRAMS_RESOURCE_BASE = "../node_modules/chevrotain/diagrams/";

if (!existsSync(builtParser)) {
  console.error(`${fileURLToPath(builtParser)} does not exist: run \`npm run build\` first.`);
  process.exit(1);
}

const { halParser } = await import(builtParser.href);
const serialized = halParser().getSerializedGastProductions();

const json = `${JSON.stringify(serialized, null, 2)}\n`;
const html = toLf(
  createSyntaxDiagramsCode(serialized, {
    resourceBase: DIAGRAMS_RESOURCE_BASE,
    css: `${DIAGRAMS_RESOURCE_BASE}diagrams.css`,
  }),
);

mkdirSync(grammarDir, { recursive: true });
write("serialized.json", json);
write("diagrams.html", html);

function write(name, text) {
  const url = new URL(name, grammarDir);
  writeFileSync(url, text);
  console.log(`wrote ${fileURLToPath(url)} (${Buffer.byteLength(text)} bytes)`);
}

/** LF line ends, no trailing blanks (chevrotain's template leaves some), one final newline. */
function toLf(text) {
  return `${text.replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").replace(/^\n+/, "").replace(/\n*$/, "")}\n`;
}

// The table of lint rules (docs/rules/README.md), from the built registry.
const { ruleTableMarkdown } = await import(new URL("dist/lint/rule-table.js", root).href);
writeFileSync(new URL("docs/rules/README.md", root), ruleTableMarkdown());
console.log("wrote docs/rules/README.md");

// The IR schema's validator as code (scripts/ir-validator-code.mjs).
const { irValidatorSource } = await import(new URL("scripts/ir-validator-code.mjs", root).href);
writeFileSync(new URL("src/ir/generated/ir-validator.ts", root), irValidatorSource(fileURLToPath(new URL("schemas/ir.schema.json", root))));
console.log("wrote src/ir/generated/ir-validator.ts");
