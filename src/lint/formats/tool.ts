/** Who made a report: halb's name, version and home page, from package.json (one source of truth). */
import { PACKAGE_JSON } from "../../package-root.js";
import { HALB_VERSION } from "../../version.js";

export const TOOL = {
  name: "halb",
  version: HALB_VERSION,
  informationUri: PACKAGE_JSON.homepage.replace(/\/+$/, ""),
} as const;
