#!/usr/bin/env node
/**
 * Bundles the CLI (dist/cli/main.js and everything it imports, dependencies included) into
 * dist/bundle/halb.mjs, which bin/halb runs, plus one chunk per command under dist/bundle/chunks/. Loading one file instead of several hundred
 * (chevrotain's lodash-es modules alone are hundreds) cuts the start of every command from about
 * half a second to a few tens of milliseconds. chevrotain is taken from the single-file build it
 * ships. The bundle sits two folders below the package root, like every dist/X/Y.js module, so
 * their `new URL("../../schemas/…", import.meta.url)` paths stay right.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

await build({
  entryPoints: { halb: `${root}dist/cli/main.js` },
  outdir: `${root}dist/bundle`,
  // Each command's code (its dynamic import) is its own chunk: `halb lint` does not load the
  // runtime, `halb run` does not load the linter.
  splitting: true,
  // Chunks sit beside halb.mjs, two folders below the package root like it (see above).
  chunkNames: "[name]-[hash]",
  outExtension: { ".js": ".mjs" },
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
