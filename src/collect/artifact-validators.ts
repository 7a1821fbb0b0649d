import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/**
 * The validators of the artifact schemas (schemas/artifacts/<name>.schema.json: the fields
 * each importer reads). `npm run build` compiles them to ajv standalone code beside this
 * module (scripts/build-artifact-validators.mjs), so that reading an artifact neither loads
 * ajv's compiler nor compiles a schema (both measured at a third of a one-environment
 * evaluation's CPU time). The compiled code carries the sha256 of the schema it was
 * compiled from; a schema changed since, or no compiled code (running from the sources),
 * is compiled here, with the same options, so the verdict never depends on which it was.
 */

const SCHEMA_DIR = new URL('../../schemas/artifacts/', import.meta.url);
/** Where `npm run build` writes the compiled validators: one CommonJS module per schema. */
export const COMPILED_DIR = new URL('./artifact-validators/', import.meta.url);

const requireHere = createRequire(import.meta.url);
const validators = new Map<string, ValidateFunction>();

/** The ajv options every artifact schema is compiled with: draft 2020-12, strict (union types allowed: configuration fields such as a rule's expr may be a string or a number), first error only. */
const AJV_OPTIONS = { strict: true, allowUnionTypes: true, allErrors: false } as const;

/** The validator of one artifact schema, compiled once per process (or at build time). */
export function artifactValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const bytes = readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR));
    validate = compiledAtBuild(name, sha256(bytes)) ?? compileNow(bytes);
    validators.set(name, validate);
  }
  return validate;
}

/** The build's validator for `name` when it was compiled from a schema of this digest. */
function compiledAtBuild(name: string, schemaSha256: string): ValidateFunction | undefined {
  let compiled: { default?: ValidateFunction; schemaSha256?: string };
  try {
    compiled = requireHere(new URL(`${name}.cjs`, COMPILED_DIR).pathname);
  } catch {
    return undefined;
  }
  return compiled.schemaSha256 === schemaSha256 ? compiled.default : undefined;
}

function compileNow(schema: Buffer): ValidateFunction {
  return newAjv(false).compile(JSON.parse(schema.toString('utf8')) as object);
}

// ajv's compiler, loaded only when a schema is compiled (it is most of ajv's load time).
function newAjv(source: boolean): import('ajv/dist/2020.js').Ajv2020 {
  const { Ajv2020 } = requireHere('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new Ajv2020({ ...AJV_OPTIONS, code: { source } });
}

/**
 * Every artifact schema compiled to ajv standalone code (CommonJS), by schema name; each
 * module exports the validate function as `default` and the schema's sha256 as
 * `schemaSha256`. Used by the build; the same schemas give the same text.
 */
export function compileArtifactValidators(): Map<string, string> {
  const standaloneCode = requireHere('ajv/dist/standalone/index.js').default as (
    ajv: import('ajv/dist/2020.js').Ajv2020,
    validate: ValidateFunction,
  ) => string;
  const out = new Map<string, string>();
  // Sorted by schema name (`alertmanager` before `alertmanager-webhook`), not file name.
  const names = readdirSync(SCHEMA_DIR)
    .filter((n) => n.endsWith('.schema.json'))
    .sort((a, b) => (a.slice(0, -12) < b.slice(0, -12) ? -1 : 1));
  for (const file of names) {
    const bytes = readFileSync(new URL(file, SCHEMA_DIR));
    const ajv = newAjv(true);
    const validate = ajv.compile(JSON.parse(bytes.toString('utf8')) as object);
    out.set(
      file.replace(/\.schema\.json$/, ''),
      `${standaloneCode(ajv, validate)}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256(bytes))};\n`,
    );
  }
  return out;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
