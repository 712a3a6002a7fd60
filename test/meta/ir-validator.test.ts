/**
 * src/ir/generated/ir-validator.ts is ajv's code for schemas/ir.schema.json: it must be what the
 * schema generates today (regenerate with `npm run build && npm run gen`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { irValidatorSource } from "../../scripts/ir-validator-code.mjs";

describe("the generated IR validator", () => {
  it("matches schemas/ir.schema.json", () => {
    const committed = readFileSync("src/ir/generated/ir-validator.ts", "utf8");
    expect(committed === irValidatorSource("schemas/ir.schema.json"), "src/ir/generated/ir-validator.ts is stale: run `npm run build && npm run gen`").toBe(true);
  });
});
