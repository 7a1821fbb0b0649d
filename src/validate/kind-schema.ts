import type { ErrorObject } from 'ajv';

/**
 * What a compiled evidence schema is, shared by the registry that looks schemas up
 * (schema-registry.ts) and the compilers that make them (compile-schemas.ts,
 * standalone-validators.ts).
 */

/** Schema keyword that marks a string field as a link prodgate must resolve. */
export const LINK_KEYWORD = 'x-prodgate-link';

/** A compiled validator: true when the data is valid, else its errors in `errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null | undefined;
}

/** What one compiled validator was compiled from: a schema file of the pack, by digest. */
export interface ValidatorSchema {
  /** File name in the pack's schema folder. */
  file: string;
  /** sha256 of the schema file's bytes. */
  sha256: string;
  id: string;
  kind: string;
  version: number;
  /** Name of its validate function among the compiled validators' exports. */
  export: string;
}

export interface KindSchema extends ValidatorSchema {
  validate: Validator;
}
