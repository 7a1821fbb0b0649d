import { artifactValidator } from '../artifact-validators.js';
import { ArtifactError } from '../artifact-error.js';
import type { ConfigDocument } from './documents.js';

/**
 * Checks one configuration document against the importer's schema
 * (schemas/artifacts/<schema>.schema.json: only the fields it reads are constrained;
 * unknown fields pass), compiled as every artifact schema is. Throws a located
 * ArtifactError (`schema-violation`) naming the pointer and the document.
 */
export function checkDocument(doc: ConfigDocument, schema: string, what: string): void {
  const validate = artifactValidator(schema);
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
