/** halb's own version, read from package.json so there is one source of truth. */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

export const HALB_VERSION: string = pkg.version;
