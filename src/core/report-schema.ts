import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

// The report's JSON Schema (schemas/report.v1.schema.json) is the one statement of the
// report contract: the renderer takes its maxima from it, verify and diff validate the
// reports they read with it, and a test checks the TypeScript Report type against it.

/** The report schema, read once from the install (two folders up from src/core or dist/core). */
export const REPORT_SCHEMA: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../schemas/report.v1.schema.json', import.meta.url), 'utf8'),
);

/**
 * A number the report schema states, by its JSON pointer into the schema (`maxItems` of
 * the gates: `/properties/gates/maxItems`).
 * @throws Error when the schema states no number there: the code and the schema disagree.
 */
export function reportSchemaNumber(pointer: string): number {
  let node: unknown = REPORT_SCHEMA;
  for (const token of pointer.split('/').slice(1))
    node = (node as Record<string, unknown> | undefined)?.[
      token.replace(/~1/g, '/').replace(/~0/g, '~')
    ];
  if (typeof node !== 'number')
    throw new Error(`schemas/report.v1.schema.json states no number at ${pointer}`);
  return node;
}

const validators = new Map<string, ValidateFunction>();

/**
 * The schema's validator: strict ajv 2020, compiled once per process. `provenance: false`
 * gives the report without its provenance record required (diff reads reports written
 * before provenance was recorded); everything else is checked the same.
 */
function validatorFor(provenance: boolean): ValidateFunction {
  const key = provenance ? 'full' : 'without-provenance';
  let validate = validators.get(key);
  if (!validate) {
    const schema = structuredClone(REPORT_SCHEMA) as { required: string[]; $id: string };
    if (!provenance) {
      schema.required = schema.required.filter((r) => r !== 'provenance');
      schema.$id = `${schema.$id}:without-provenance`;
    }
    validate = new Ajv2020({ strict: true, allErrors: false }).compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The first way a value is not a report under the schema, as one line naming its JSON
 * pointer (`/gates/0/status must be one of "pass", ...`); undefined when it is one.
 */
export function reportSchemaProblem(
  value: unknown,
  options: { provenance: boolean },
): string | undefined {
  const validate = validatorFor(options.provenance);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  return error ? describe(error) : 'it is not a report';
}

const SHA256 = '^[0-9a-f]{64}$';
const PATTERN_MEANING: Record<string, string> = {
  [SHA256]: 'a sha256 in hex',
  '^([0-9a-f]{64})?$': 'a sha256 in hex (or empty)',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'a date YYYY-MM-DD',
  '^[a-z][a-z0-9-]{0,62}$': 'an environment name (lowercase letters, digits and hyphens)',
};
const TYPE_NAME: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'a list',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** One ajv error in the words of the shape checks verify and diff always gave. */
function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const p = error.params as Record<string, unknown>;
  // Text from the report (a key) is quoted as JSON: one line, whatever it holds.
  const key = (k: unknown): string =>
    `${error.instancePath}/${JSON.stringify(String(k)).slice(1, -1)}`;
  switch (error.keyword) {
    case 'type': {
      const types = String(p['type']).split(',');
      return `${at} must be ${types.map((t) => TYPE_NAME[t] ?? t).join(' or ')}`;
    }
    case 'enum':
      return `${at} must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be one of ${JSON.stringify(p['allowedValue'])}`;
    case 'pattern':
      return `${at} must be ${PATTERN_MEANING[String(p['pattern'])] ?? `text matching ${p['pattern']}`}`;
    case 'required':
      return `${key(p['missingProperty'])} is missing`;
    case 'additionalProperties':
      return `${key(p['additionalProperty'])} is not a field of the report schema`;
    case 'maxLength':
      return `${at} is longer than the report schema allows (${p['limit']} characters)`;
    case 'maxItems':
      return `${at} has more items than the report schema allows (${p['limit']})`;
    case 'minimum':
    case 'maximum':
      return `${at} must be a whole number ${error.keyword === 'minimum' ? 'of at least' : 'of at most'} ${p['limit']}`;
    default:
      return `${at} ${error.message ?? 'does not match the report schema'}`;
  }
}
