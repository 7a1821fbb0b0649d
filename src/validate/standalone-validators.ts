import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { sha256 } from '../core/digest.js';
import { collectLink, LINK_COLLECTOR_MODULE } from './link-collector.js';
import type { Validator, ValidatorSchema } from './kind-schema.js';
import { SchemaRegistry } from './schema-registry.js';

/** Where a pack's compiled validators are, and what the bundle manifest says they were compiled from. */
export interface BundledValidators {
  /** The validators file (bundle/validators.js). */
  path: string;
  /** Its sha256, as recorded in the manifest. */
  sha256: string;
  /** The schema folder the validators must still agree with. */
  schemaDir: string;
  schemas: ValidatorSchema[];
}

/**
 * Loads the validators compiled when the pack was built, after checking that they
 * are the ones the manifest records and that the schema folder holds exactly the
 * schemas, byte for byte, they were compiled from. A stale validator is an error
 * (rebuild the pack), never a silent pass against an older schema.
 * @throws CannotEvaluateError on any mismatch or unreadable file.
 */
export async function loadBundledValidators(bundled: BundledValidators): Promise<SchemaRegistry> {
  const source = await readOrFail(bundled.path, 'compiled validators');
  const actual = sha256(source);
  if (actual !== bundled.sha256) {
    throw new CannotEvaluateError(
      `compiled validators ${bundled.path} are corrupt: sha256 ${actual} does not match the manifest's ${bundled.sha256}`,
    );
  }
  await checkSchemasUnchanged(bundled.schemaDir, bundled.schemas);
  const exports = runValidatorModule(source.toString('utf8'), bundled.path);
  return new SchemaRegistry(
    bundled.schemas.map((schema) => {
      const validate = exports[schema.export];
      if (typeof validate !== 'function')
        throw new CannotEvaluateError(
          `compiled validators ${bundled.path} lack ${schema.export} for ${schema.file} (run prodgate build)`,
        );
      return { ...schema, validate: validate as Validator };
    }),
  );
}

async function checkSchemasUnchanged(dir: string, recorded: ValidatorSchema[]): Promise<void> {
  let present: string[];
  try {
    present = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  } catch (thrown) {
    throw new CannotEvaluateError(`schema folder ${dir} cannot be read: ${messageOf(thrown)}`);
  }
  const known = new Set(recorded.map((s) => s.file));
  const added = present.filter((name) => !known.has(name));
  const removed = [...known].filter((name) => !present.includes(name));
  const changed: string[] = [];
  for (const schema of recorded.filter((s) => present.includes(s.file))) {
    if (sha256(await readOrFail(join(dir, schema.file), 'schema')) !== schema.sha256)
      changed.push(schema.file);
  }
  const problems = [
    ...(changed.length ? [`changed: ${changed.join(', ')}`] : []),
    ...(added.length ? [`added: ${added.join(', ')}`] : []),
    ...(removed.length ? [`removed: ${removed.join(', ')}`] : []),
  ];
  if (problems.length) {
    throw new CannotEvaluateError(
      `the evidence schemas in ${dir} differ from those the pack's validators were compiled from (${problems.join('; ')}): run prodgate build`,
    );
  }
}

const requireFromProdgate = createRequire(import.meta.url);

/** The modules compiled validator code may require: ajv's runtime helpers and ajv-formats' formats. */
const RUNTIME_MODULE = /^(ajv\/dist\/runtime\/[a-z0-9]+|ajv-formats\/dist\/formats)$/;

/**
 * Runs the CommonJS validator code with a `require` that resolves from prodgate's own
 * installation (a pack may live anywhere) and allows only the runtime pieces ajv's
 * generated code uses, plus the link collector.
 */
function runValidatorModule(source: string, path: string): Record<string, unknown> {
  const requireRuntime = (id: string): unknown => {
    if (id === LINK_COLLECTOR_MODULE) return { collectLink };
    if (!RUNTIME_MODULE.test(id))
      throw new Error(`requires "${id}", which compiled validators may not`);
    return requireFromProdgate(id);
  };
  const module: { exports: Record<string, unknown> } = { exports: {} };
  try {
    new Function('require', 'module', 'exports', source)(requireRuntime, module, module.exports);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `compiled validators ${path} cannot be loaded: ${messageOf(thrown)} (run prodgate build)`,
    );
  }
  return module.exports;
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `${what} ${path} cannot be read: ${messageOf(thrown)} (run prodgate build)`,
    );
  }
}
