/** The whole-spec checks, in the order they run. Each reports through the context and changes nothing but VIP binds. */
import type { AnalyzeContext } from "../args.js";
import type { ModelSpec } from "../model.js";
import { checkBinds } from "./binds.js";
import { checkCluster } from "./cluster.js";
import { checkLogFormats } from "./logs.js";
import { checkModes } from "./modes.js";
import { checkNamesUnique } from "./names-unique.js";
import { checkReferences } from "./references.js";

export type Check = (model: ModelSpec, ctx: AnalyzeContext) => void;

export const allChecks: readonly Check[] = [checkNamesUnique, checkReferences, checkCluster, checkBinds, checkModes, checkLogFormats];
