import type { Finding } from '../core/finding.js';
import type { ArtifactPosition } from './facts.js';

/** Why an artifact cannot be read or trusted; codes are stable (docs/artifacts.md). */
export type ArtifactProblemCode =
  | 'unreadable'
  | 'unsafe-path'
  | 'parse-error'
  | 'limit-exceeded'
  | 'refused-markup'
  | 'unknown-format'
  | 'schema-violation'
  | 'counter-mismatch'
  | 'revision-conflict'
  | 'unrendered-template'
  | 'empty-config'
  | 'unknown-api-version'
  | 'unresolved-reference';

/** A located problem with an artifact. Thrown by the readers; the first one ends the read. */
export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactProblemCode,
    message: string,
    readonly position: ArtifactPosition = { line: 1, column: 1 },
    readonly pointer = '',
  ) {
    super(message);
  }
}

/**
 * One finding about an artifact, located in it (pointer: JSON pointer for JSON artifacts,
 * '' for XML, where line and column locate it). Errors make the artifact invalid. The
 * importer does not know the artifact's path in the evidence folder: collect-bundle.ts
 * adds it as the Finding's `file`.
 */
export type ArtifactProblem = Omit<Finding<ArtifactProblemCode>, 'file'>;

export function problemOf(error: ArtifactError): ArtifactProblem {
  return {
    severity: 'error',
    code: error.code,
    message: error.message,
    line: error.position.line,
    column: error.position.column,
    pointer: error.pointer,
  };
}
