import type { AnyRule } from "../../rule.js";
import { unknownSuppression } from "./unknown-suppression.js";
import { unusedSuppression } from "./unused-suppression.js";

export const metaRules: readonly AnyRule[] = [unknownSuppression, unusedSuppression];
