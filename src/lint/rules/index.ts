/**
 * Every rule halb lint knows, listed explicitly (no discovery by file name), by category.
 * A meta test fails when a rule here lacks docs/rules/ID.md or fixtures/lint/ID/.
 */
import type { AnyRule } from "../rule.js";
import { haproxyRules } from "./haproxy/index.js";
import { hardeningRules } from "./hardening/index.js";
import { keepalivedRules } from "./keepalived/index.js";
import { metaRules } from "./meta/index.js";
import { pairRules } from "./pair/index.js";

export const allRules: readonly AnyRule[] = [...haproxyRules, ...hardeningRules, ...keepalivedRules, ...pairRules, ...metaRules];
