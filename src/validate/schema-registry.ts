import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CannotEvaluateError, messageOf } from '../errors.js';

// ajv-formats is CommonJS whose `exports.default` is the plugin; NodeNext's default
// import gives the whole exports object, so take `.default` from it.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

/** Schema keyword that marks a string field as a link prodgate must resolve. */
export const LINK_KEYWORD = 'x-prodgate-link';

/** A link value found while validating, at its JSON pointer. */
export interface FoundLink {
  pointer: string;
  value: string;
}

export interface ValidationOutcome {
  errors: ErrorObject[];
  links: FoundLink[];
}

interface KindSchema {
  id: string;
  kind: string;
  version: number;
  validate: ValidateFunction;
}

/**
 * The evidence schemas of a pack, indexed by the `kind` and `schemaVersion` constants
 * each schema declares. Strict ajv (draft 2020-12), no `$data`, no remote `$ref`.
 */
export class SchemaRegistry {
  private collecting: FoundLink[] | undefined;

  private constructor(private readonly kinds: Map<string, KindSchema[]>) {}

  static async load(dir: string): Promise<SchemaRegistry> {
    const registry = new SchemaRegistry(new Map());
    const ajv = new Ajv2020({ strict: true, allErrors: true, $data: false, loadSchema: undefined });
    addFormats(ajv);
    ajv.addKeyword({
      keyword: LINK_KEYWORD,
      schemaType: 'boolean',
      errors: false,
      validate: (enabled: boolean, data: unknown, _schema?: unknown, cxt?: { instancePath: string }) => {
        if (enabled && typeof data === 'string' && cxt) registry.collecting?.push({ pointer: cxt.instancePath, value: data });
        return true;
      },
    });
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
    } catch (thrown) {
      throw new CannotEvaluateError(`schema folder ${dir} cannot be read: ${messageOf(thrown)}`);
    }
    for (const name of names) {
      let schema: { $id?: unknown; properties?: { kind?: { const?: unknown }; schemaVersion?: { const?: unknown } } };
      try {
        schema = JSON.parse(await readFile(join(dir, name), 'utf8'));
        const kind = schema.properties?.kind?.const;
        const version = schema.properties?.schemaVersion?.const;
        if (typeof schema.$id !== 'string' || typeof kind !== 'string' || typeof version !== 'number') {
          throw new Error('needs $id and const kind and schemaVersion properties');
        }
        const validate = ajv.compile(schema as Record<string, unknown>);
        const list = registry.kinds.get(kind) ?? [];
        // Two schemas for one kind and version: which one validates would depend on file order.
        const twin = list.find((k) => k.version === version);
        if (twin) throw new Error(`declares kind "${kind}" schemaVersion ${version}, as ${twin.id} does already; a pack holds one schema per kind and version`);
        list.push({ id: schema.$id, kind, version, validate });
        registry.kinds.set(kind, list);
      } catch (thrown) {
        throw new CannotEvaluateError(`schema ${join(dir, name)} is unusable: ${messageOf(thrown)}`);
      }
    }
    return registry;
  }

  knownKinds(): string[] {
    return [...this.kinds.keys()].sort();
  }

  versionsOf(kind: string): number[] {
    return (this.kinds.get(kind) ?? []).map((k) => k.version).sort();
  }

  schemaFor(kind: string, version: unknown): KindSchema | undefined {
    return this.kinds.get(kind)?.find((k) => k.version === version);
  }

  /** Validates data against the schema of its kind and version, and collects its links. */
  validate(schema: KindSchema, data: unknown): ValidationOutcome {
    const links: FoundLink[] = [];
    this.collecting = links;
    try {
      const ok = schema.validate(data);
      return { errors: ok ? [] : [...(schema.validate.errors ?? [])], links: dedupe(links) };
    } finally {
      this.collecting = undefined;
    }
  }
}

function dedupe(links: FoundLink[]): FoundLink[] {
  const seen = new Map<string, FoundLink>();
  for (const link of links) seen.set(link.pointer, link);
  return [...seen.values()].sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
