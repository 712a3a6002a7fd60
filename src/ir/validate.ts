/**
 * Validates an IR against schemas/ir.schema.json, with the validator ajv generated from it at
 * `npm run gen` time (src/ir/generated/): building it at every start would cost ~100 ms.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { packagePath } from "../package-root.js";
import { validate as generatedValidator } from "./generated/ir-validator.js";
import type { Ir } from "./types.js";

export const IR_SCHEMA_PATH = packagePath("schemas/ir.schema.json");

const validator = generatedValidator as unknown as ValidateFunction<Ir>;

export interface IrSchemaError {
  /** JSON pointer of the offending value. */
  readonly pointer: string;
  readonly message: string;
}

export function validateIr(value: unknown): IrSchemaError[] {
  if (validator(value)) return [];
  return (validator.errors ?? []).map(describe);
}

function describe(error: ErrorObject): IrSchemaError {
  const missing = error.keyword === "required" ? ` (${String(error.params["missingProperty"])})` : "";
  const extra =
    error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties"
      ? ` (${String(error.params["additionalProperty"] ?? error.params["unevaluatedProperty"])})`
      : "";
  return { pointer: error.instancePath || "/", message: `${error.message ?? "invalid"}${missing}${extra}` };
}
