import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { _, type KeywordCxt } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { strConcat } from 'ajv/dist/compile/codegen/index.js';
import names from 'ajv/dist/compile/names.js';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { sha256 } from '../core/digest.js';
import { collectLink, LINK_COLLECTOR_MODULE } from './link-collector.js';
import { LINK_KEYWORD, type KindSchema, type ValidatorSchema } from './kind-schema.js';

// ajv's modules are CommonJS with `exports.default`: Node's ESM import gives the exports
// object, bundlers and test runners may give `default` itself; take whichever it is.
function cjsDefault<T>(module: unknown): T {
  const exported = module as { default?: T };
  return exported.default ?? (module as T);
}
const addFormats = cjsDefault<(ajv: Ajv2020) => Ajv2020>(addFormatsModule);
const standaloneCode =
  cjsDefault<(ajv: Ajv2020, refs: Record<string, string>) => string>(standaloneCodeModule);
const N = cjsDefault<{ instancePath: Parameters<typeof strConcat>[0] }>(names);

/** One evidence schema file as read from a pack's schema folder. */
interface SchemaFile extends ValidatorSchema {
  schema: Record<string, unknown>;
}

/**
 * Reads every `*.schema.json` of a folder, in name order, with its digest and the
 * `$id`, `kind` and `schemaVersion` constants each must declare.
 * @throws CannotEvaluateError when the folder cannot be read or a schema lacks them.
 */
export async function readSchemaFiles(dir: string): Promise<SchemaFile[]> {
  let fileNames: string[];
  try {
    fileNames = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  } catch (thrown) {
    throw new CannotEvaluateError(`schema folder ${dir} cannot be read: ${messageOf(thrown)}`);
  }
  const files: SchemaFile[] = [];
  for (const [index, file] of fileNames.entries()) {
    try {
      const bytes = await readFile(join(dir, file));
      const schema = JSON.parse(bytes.toString('utf8')) as {
        $id?: unknown;
        properties?: { kind?: { const?: unknown }; schemaVersion?: { const?: unknown } };
      };
      const kind = schema.properties?.kind?.const;
      const version = schema.properties?.schemaVersion?.const;
      if (
        typeof schema.$id !== 'string' ||
        typeof kind !== 'string' ||
        typeof version !== 'number'
      ) {
        throw new Error('needs $id and const kind and schemaVersion properties');
      }
      // Two schemas for one kind and version: which one validates would depend on file order.
      const twin = files.find((f) => f.kind === kind && f.version === version);
      if (twin)
        throw new Error(
          `declares kind "${kind}" schemaVersion ${version}, as ${twin.id} does already; a pack holds one schema per kind and version`,
        );
      files.push({
        file,
        sha256: sha256(bytes),
        id: schema.$id,
        kind,
        version,
        export: `v${index}`,
        schema: schema as Record<string, unknown>,
      });
    } catch (thrown) {
      throw new CannotEvaluateError(`schema ${join(dir, file)} is unusable: ${messageOf(thrown)}`);
    }
  }
  return files;
}

/**
 * The ajv every evidence schema is compiled with: draft 2020-12, strict, all errors,
 * no `$data`, no remote `$ref`, ajv-formats, and the link keyword. `source` keeps the
 * generated code so that it can be written out as standalone validators.
 */
function evidenceAjv(source: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    $data: false,
    loadSchema: undefined,
    code: { source },
  });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: LINK_KEYWORD,
    schemaType: 'boolean',
    // Generated code, not a validate function: standalone code can only call functions it can require.
    code(cxt: KeywordCxt) {
      const { gen, data, schema, it } = cxt;
      if (schema !== true) return;
      const collect = gen.scopeValue('func', {
        ref: collectLink,
        code: _`require(${LINK_COLLECTOR_MODULE}).collectLink`,
      });
      gen.if(_`typeof ${data} == "string"`, () =>
        gen.code(_`${collect}(${strConcat(N.instancePath, it.errorPath)}, ${data})`),
      );
    },
  });
  return ajv;
}

/** Compiles every schema of a folder in this process (authoring, tests); evaluations use the built ones. */
export async function compileSchemaFolder(dir: string): Promise<KindSchema[]> {
  const files = await readSchemaFiles(dir);
  const ajv = evidenceAjv(false);
  return files.map(({ schema, ...meta }) => {
    try {
      return { ...meta, validate: ajv.compile(schema) };
    } catch (thrown) {
      throw new CannotEvaluateError(
        `schema ${join(dir, meta.file)} is unusable: ${messageOf(thrown)}`,
      );
    }
  });
}

/** The validators of a pack as built: one CommonJS module and what it was compiled from. */
export interface StandaloneValidators {
  /** ajv standalone code; exports one validate function per schema, named by `ValidatorSchema.export`. */
  source: string;
  schemas: ValidatorSchema[];
}

/**
 * Compiles every schema of a folder to ajv standalone code, so that an evaluation
 * compiles none. The same schemas give the same bytes (ajv names its variables by
 * counters, in schema order). Loaded by `validatorsFromSource` (standalone-validators.ts).
 * @throws CannotEvaluateError when a schema cannot be read or compiled.
 */
export async function standaloneValidators(dir: string): Promise<StandaloneValidators> {
  const files = await readSchemaFiles(dir);
  const ajv = evidenceAjv(true);
  for (const { file, schema } of files) {
    try {
      ajv.addSchema(schema);
      ajv.getSchema(schema['$id'] as string);
    } catch (thrown) {
      throw new CannotEvaluateError(`schema ${join(dir, file)} is unusable: ${messageOf(thrown)}`);
    }
  }
  const source = standaloneCode(ajv, Object.fromEntries(files.map((f) => [f.export, f.id])));
  return {
    source: `${source.trimEnd()}\n`,
    schemas: files.map(({ schema: _schema, ...meta }) => meta),
  };
}
