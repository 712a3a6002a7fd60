import type { AnyRule } from "../../rule.js";
import { weightCannotFailover } from "./weight-cannot-failover.js";

/** Pair and failover rules (PAIRnnn), in id order. */
export const pairRules: readonly AnyRule[] = [weightCannotFailover];
