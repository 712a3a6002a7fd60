/** Who made a report: halb's name, version and home page, from package.json (one source of truth). */
import { readFileSync } from "node:fs";
import { HALB_VERSION } from "../../version.js";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { homepage: string };

export const TOOL = {
  name: "halb",
  version: HALB_VERSION,
  informationUri: pkg.homepage.replace(/\/+$/, ""),
} as const;
