/** Validates an IR against schemas/ir.schema.json; the ajv validator is compiled once, on first use. */
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { packagePath } from "../package-root.js";
import type { Ir } from "./types.js";

export const IR_SCHEMA_PATH = packagePath("schemas/ir.schema.json");

let validator: ValidateFunction<Ir> | undefined;

function compiled(): ValidateFunction<Ir> {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile<Ir>(JSON.parse(readFileSync(IR_SCHEMA_PATH, "utf8")));
  }
  return validator;
}

export interface IrSchemaError {
  /** JSON pointer of the offending value. */
  readonly pointer: string;
  readonly message: string;
}

export function validateIr(value: unknown): IrSchemaError[] {
  const validate = compiled();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): IrSchemaError {
  const missing = error.keyword === "required" ? ` (${String(error.params["missingProperty"])})` : "";
  const extra =
    error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties"
      ? ` (${String(error.params["additionalProperty"] ?? error.params["unevaluatedProperty"])})`
      : "";
  return { pointer: error.instancePath || "/", message: `${error.message ?? "invalid"}${missing}${extra}` };
}
