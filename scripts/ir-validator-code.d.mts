/** Types of scripts/ir-validator-code.mjs, for the meta test. */
export declare const IR_AJV_OPTIONS: { readonly allErrors: boolean; readonly strict: boolean; readonly allowUnionTypes: boolean };
export declare function irValidatorSource(schemaPath: string): string;
