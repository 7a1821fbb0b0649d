import { basename, extname } from 'node:path';
import type { ErrorObject } from 'ajv';
import { joinPointer } from '../core/json-pointer.js';
import type { EvidenceFinding } from '../core/finding.js';
import { hasErrors, positionOf, type EvidenceFile } from '../load/evidence-file.js';
import type { FoundLink, SchemaRegistry } from './schema-registry.js';

/** The evidence of one kind, ready for the policy: valid data, or the problems. */
export interface KindEvidence {
  kind: string;
  file: EvidenceFile;
  valid: boolean;
  links: FoundLink[];
}

/**
 * Checks every loaded file's kind, version and schema, adding located diagnostics to
 * the file. Returns the evidence per kind; a kind claimed by two files is invalid in
 * both, since neither can be trusted to be the one the release meant.
 */
export function validateEvidence(
  files: EvidenceFile[],
  registry: SchemaRegistry,
): Map<string, KindEvidence> {
  const byKind = new Map<string, KindEvidence>();
  for (const file of files) {
    const links = checkFile(file, registry);
    // A known kind with an unsupported version is still that kind's (invalid) evidence.
    if (!file.kind || registry.versionsOf(file.kind).length === 0) continue;
    const earlier = byKind.get(file.kind);
    if (earlier) {
      for (const [one, other] of [
        [earlier.file, file],
        [file, earlier.file],
      ] as const) {
        one.diagnostics.push(
          located(
            one,
            'duplicate-kind',
            '/kind',
            `kind "${file.kind}" is also declared by ${other.path}; each kind must come from one file`,
          ),
        );
      }
      earlier.valid = false;
      continue;
    }
    byKind.set(file.kind, { kind: file.kind, file, valid: !hasErrors(file), links });
  }
  // A file that did not parse, or declares no kind, is probably the kind its name
  // says: charge its errors to that kind, so the gates reading it become `error`
  // ("security.yaml: syntax error") instead of failing for "no security evidence".
  for (const file of files) {
    const guessed = basename(file.path, extname(file.path));
    const declaresKnownKind = file.kind !== undefined && registry.versionsOf(file.kind).length > 0;
    if (
      declaresKnownKind ||
      !hasErrors(file) ||
      byKind.has(guessed) ||
      registry.versionsOf(guessed).length === 0
    )
      continue;
    byKind.set(guessed, { kind: guessed, file, valid: false, links: [] });
  }
  return byKind;
}

function checkFile(file: EvidenceFile, registry: SchemaRegistry): FoundLink[] {
  if (file.data === undefined) return [];
  if (!file.kind) {
    file.diagnostics.push(
      located(
        file,
        'unknown-kind',
        '/kind',
        `the file declares no kind; expected one of: ${registry.knownKinds().join(', ')}`,
      ),
    );
    return [];
  }
  if (registry.versionsOf(file.kind).length === 0) {
    file.diagnostics.push(
      located(
        file,
        'unknown-kind',
        '/kind',
        `unknown kind "${file.kind}"; expected one of: ${registry.knownKinds().join(', ')}`,
      ),
    );
    return [];
  }
  const schema = registry.schemaFor(file.kind, file.schemaVersion);
  if (!schema) {
    file.diagnostics.push(
      located(
        file,
        'unknown-schema-version',
        '/schemaVersion',
        `kind "${file.kind}" has no schemaVersion ${JSON.stringify(file.schemaVersion)}; supported: ${registry.versionsOf(file.kind).join(', ')}`,
      ),
    );
    return [];
  }
  const outcome = registry.validate(schema, file.data);
  for (const error of outcome.errors) {
    // "must match then/else": the branch's own errors (reported too) say what is wrong.
    if (error.keyword === 'if') continue;
    const pointer = pointerOf(error);
    file.diagnostics.push(located(file, 'schema-violation', pointer, describe(error)));
  }
  return outcome.links;
}

/** The pointer an ajv error is really about: the missing or extra property itself. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty)
    return joinPointer(error.instancePath, params.missingProperty);
  if (error.keyword === 'additionalProperties' && params.additionalProperty)
    return joinPointer(error.instancePath, params.additionalProperty);
  return error.instancePath;
}

function describe(error: ErrorObject): string {
  const params = error.params as {
    allowedValues?: unknown[];
    allowedValue?: unknown;
    additionalProperty?: string;
    missingProperty?: string;
  };
  switch (error.keyword) {
    case 'required':
      return `missing required field "${params.missingProperty}"`;
    case 'additionalProperties':
      return `unknown field "${params.additionalProperty}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

function located(
  file: EvidenceFile,
  code: EvidenceFinding['code'],
  pointer: string,
  message: string,
): EvidenceFinding {
  const { line, column } = positionOf(file, pointer);
  return { severity: 'error', code, file: file.path, line, column, pointer, message };
}
