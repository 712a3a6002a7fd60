import type { AnyRule } from "../../rule.js";

/** Keepalived-side rules (KAnnn), in id order. */
export const keepalivedRules: readonly AnyRule[] = [];
