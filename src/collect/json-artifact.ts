import type { SourcePosition } from '../core/diagnostics.js';
import { positionOf } from '../load/evidence-file.js';
import { parseJson } from '../load/json-source.js';
import { SourceError } from '../load/parsed-document.js';
import { ArtifactError } from './artifact-error.js';
import { artifactValidator } from './artifact-validators.js';
import type { ArtifactLimits } from './limits.js';

/** A JSON artifact, parsed with positions and checked against the importer's own schema. */
export interface JsonArtifact {
  data: unknown;
  /** Where a pointer is (the nearest located ancestor when it is not itself located). */
  at(pointer: string): SourcePosition;
}

/**
 * Parses a JSON artifact with the strict evidence parser (positions, duplicate keys
 * refused, depth, value-count and string bounds) and validates the fields the importer
 * reads against its schema. Throws a located ArtifactError on the first problem.
 */
export function readJsonArtifact(
  text: string,
  schema: string,
  limits: ArtifactLimits,
): JsonArtifact {
  let parsed: ReturnType<typeof parseJson>;
  try {
    parsed = parseJson(text.replace(/^\uFEFF/, ''), {
      maxDepth: limits.maxArtifactDepth,
      maxNodes: limits.maxArtifactNodes,
      maxAliases: 0,
      maxStringLength: limits.maxArtifactString,
    });
  } catch (thrown) {
    if (!(thrown instanceof SourceError)) throw thrown;
    throw new ArtifactError(
      thrown.code === 'limit-exceeded' ? 'limit-exceeded' : 'parse-error',
      thrown.message,
      thrown.position,
      thrown.pointer,
    );
  }
  const at = (pointer: string): SourcePosition => positionOf(parsed, pointer);
  checkFields(schema, parsed.value, at);
  return { data: parsed.value, at };
}

/**
 * Checks the fields an importer reads against its schema (schemas/artifacts/<schema>.schema.json).
 * Throws a located `schema-violation` ArtifactError on the first mismatch.
 */
export function checkFields(
  schema: string,
  value: unknown,
  at: (pointer: string) => SourcePosition,
  pointerPrefix = '',
): void {
  const validate = artifactValidator(schema);
  if (validate(value)) return;
  const error = validate.errors?.[0];
  const params = (error?.params ?? {}) as { missingProperty?: string };
  const pointer = `${error?.instancePath ?? ''}${params.missingProperty ? `/${params.missingProperty}` : ''}`;
  const what = params.missingProperty
    ? `missing required field "${params.missingProperty}"`
    : (error?.message ?? 'does not match');
  const shown = `${pointerPrefix}${pointer}`;
  throw new ArtifactError('schema-violation', `${shown || '/'}: ${what}`, at(pointer), shown);
}

/** Looks like JSON whose text (first 4 KiB) mentions all the given markers. */
export function jsonMentions(text: string, markers: RegExp[]): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  return /^\s*[[{]/.test(head) && markers.every((m) => m.test(head));
}
