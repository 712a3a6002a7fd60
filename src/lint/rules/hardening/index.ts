import type { AnyRule } from "../../rule.js";

/** HAProxy-side exposure and hardening rules (HAP020…), in id order. */
export const hardeningRules: readonly AnyRule[] = [];
