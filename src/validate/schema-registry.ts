import type { ErrorObject } from 'ajv';
import type { KindSchema } from './kind-schema.js';
import { collectingLinks, type FoundLink } from './link-collector.js';

export type { FoundLink } from './link-collector.js';
export { LINK_KEYWORD } from './kind-schema.js';

export interface ValidationOutcome {
  errors: ErrorObject[];
  links: FoundLink[];
}

/**
 * The evidence schemas of a pack, indexed by the `kind` and `schemaVersion` constants
 * each schema declares. Strict ajv (draft 2020-12), no `$data`, no remote `$ref`.
 * Evaluations use the validators compiled when the pack was built
 * (standalone-validators.ts); `load` compiles a folder in this process.
 */
export class SchemaRegistry {
  private readonly kinds = new Map<string, KindSchema[]>();

  constructor(schemas: KindSchema[]) {
    for (const schema of schemas) {
      const list = this.kinds.get(schema.kind) ?? [];
      list.push(schema);
      this.kinds.set(schema.kind, list);
    }
  }

  /**
   * Compiles every `*.schema.json` of a folder with ajv (loaded only here).
   * @throws CannotEvaluateError when the folder cannot be read or a schema is unusable.
   */
  static async load(dir: string): Promise<SchemaRegistry> {
    const { compileSchemaFolder } = await import('./compile-schemas.js');
    return new SchemaRegistry(await compileSchemaFolder(dir));
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
    const { result: ok, links } = collectingLinks(() => schema.validate(data));
    return { errors: ok ? [] : [...(schema.validate.errors ?? [])], links: dedupe(links) };
  }
}

function dedupe(links: FoundLink[]): FoundLink[] {
  const seen = new Map<string, FoundLink>();
  for (const link of links) seen.set(link.pointer, link);
  return [...seen.values()].sort((a, b) =>
    a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0,
  );
}
