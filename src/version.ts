/** halb's own version, read from package.json so there is one source of truth. */
import { PACKAGE_JSON } from "./package-root.js";

export const HALB_VERSION: string = PACKAGE_JSON.version;
