import type { AnyRule } from "../../rule.js";
import { unusedBackend } from "./unused-backend.js";

/** HAProxy-side rules (HAPnnn), in id order. */
export const haproxyRules: readonly AnyRule[] = [unusedBackend];
