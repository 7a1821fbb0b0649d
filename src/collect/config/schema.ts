import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ArtifactError } from '../artifact-error.js';
import type { ConfigDocument } from './documents.js';

const compiled = new Map<string, ValidateFunction>();

/** The schema of the fields one importer reads: schemas/artifacts/<name>.schema.json, compiled once. */
function validatorFor(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const url = new URL(`../../../schemas/artifacts/${name}.schema.json`, import.meta.url);
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: false });
    validate = ajv.compile(JSON.parse(readFileSync(url, 'utf8')) as object);
    compiled.set(name, validate);
  }
  return validate;
}

/**
 * Checks one configuration document against the importer's schema (only the fields it
 * reads are constrained; unknown fields pass). Throws a located ArtifactError
 * (`schema-violation`) naming the pointer and the document.
 */
export function checkDocument(doc: ConfigDocument, schema: string, what: string): void {
  const validate = validatorFor(schema);
  if (validate(doc.value)) return;
  const error = validate.errors?.[0];
  const params = (error?.params ?? {}) as { missingProperty?: string; allowedValues?: unknown[] };
  const pointer = `${error?.instancePath ?? ''}${params.missingProperty ? `/${params.missingProperty}` : ''}`;
  const detail = params.missingProperty
    ? `missing required field "${params.missingProperty}"`
    : params.allowedValues
      ? `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
      : (error?.message ?? 'does not match');
  const where = doc.index > 0 ? ` (document ${doc.index + 1})` : '';
  throw new ArtifactError(
    'schema-violation',
    `${what}${where} ${pointer || '/'}: ${detail}`,
    doc.at(pointer),
    pointer,
  );
}
