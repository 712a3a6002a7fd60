#!/usr/bin/env node
/**
 * Bundles the CLI (dist/cli/main.js and everything it imports, dependencies included) into one
 * module, dist/bundle/halb.mjs, which bin/halb runs. Loading one file instead of several hundred
 * (chevrotain's lodash-es modules alone are hundreds) cuts the start of every command from about
 * half a second to a few tens of milliseconds. chevrotain is taken from the single-file build it
 * ships. The bundle sits two folders below the package root, like every dist/X/Y.js module, so
 * their `new URL("../../schemas/…", import.meta.url)` paths stay right.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

await build({
  entryPoints: [`${root}dist/cli/main.js`],
  outfile: `${root}dist/bundle/halb.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  alias: { chevrotain: `${root}node_modules/chevrotain/lib/chevrotain.mjs` },
  // CommonJS dependencies (ajv) call require() for Node's own modules.
  banner: { js: 'import { createRequire as __halbCreateRequire } from "node:module"; const require = __halbCreateRequire(import.meta.url);' },
  sourcemap: "linked",
  logLevel: "warning",
});
