import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { loadPack } from '../pack/pack.js';
import { renderStarter, type SchemaNode } from './starter-yaml.js';

export interface InitOptions {
  env: string;
  /** Where to write; evidence/<env> (relative to the current folder) by default. */
  outDir?: string;
  /** Overwrite files that exist. */
  force?: boolean;
  /** The command line to name in each file's header. */
  command: string;
}

/**
 * Writes a starter evidence folder for one environment: one YAML file per evidence
 * kind the pack's gates read (in checklist order), each linked to its schema by a
 * yaml-language-server modeline and documented field by field. Needs only the built
 * pack (no OPA): evidence authors run it.
 */
export async function writeStarterEvidence(
  root: string | undefined,
  options: InitOptions,
): Promise<{ outDir: string; files: { file: string; kind: string }[] }> {
  const pack = await loadPack(root);
  if (!pack.manifest.environments.includes(options.env)) {
    throw new CannotEvaluateError(
      `unknown environment "${options.env}"; the pack knows: ${pack.manifest.environments.join(', ')}`,
    );
  }
  const outDir = resolve(options.outDir ?? join('evidence', options.env));
  const kinds = [...new Set(pack.gates.flatMap((g) => g.evidence))];
  const schemas = await schemasByKind(pack.paths.schemas);
  const missing = kinds.filter((k) => !schemas.has(k));
  if (missing.length)
    throw new CannotEvaluateError(
      `the pack's gates read evidence kinds without a schema: ${missing.join(', ')} (run prodgate lint)`,
    );
  const targets = kinds.map((kind) => ({ kind, path: join(outDir, `${kind}.yaml`) }));
  const taken = targets.filter((t) => existsSync(t.path));
  if (taken.length && !options.force) {
    throw new CannotEvaluateError(
      `${taken.map((t) => t.path).join(', ')} already exist${taken.length === 1 ? 's' : ''}; pass --force to overwrite or --out to write elsewhere`,
    );
  }
  for (const { kind, path } of targets) {
    const schema = schemas.get(kind) as { file: string; schema: SchemaNode };
    const schemaRef = modelineTarget(outDir, schema.file, schema.schema);
    await writeFileAtomic(
      path,
      renderStarter(schema.schema, { kind, schemaRef, command: options.command }),
    );
  }
  const attributes = join(outDir, '.gitattributes');
  if (!existsSync(attributes)) await writeFileAtomic(attributes, EVIDENCE_GITATTRIBUTES);
  return { outDir, files: targets.map((t) => ({ file: t.path, kind: t.kind })) };
}

/**
 * What a starter file's `yaml-language-server: $schema=` points at, so that it resolves
 * wherever the evidence is checked out:
 * - the schema's path relative to the evidence when the schema is part of the evidence's
 *   own repository (a pack kept beside the evidence, prodgate's own examples), or when the
 *   evidence is in no repository at all (it then resolves on this machine);
 * - the schema's `$id` when that is an https URL and the schema lies in an installed
 *   package (a `node_modules` folder: prodgate's default pack after `npm install`) or
 *   outside the evidence's repository: a path into someone's install or another checkout
 *   resolves nowhere else. prodgate's shipped schemas have fetchable https `$id`s
 *   (https://prodgate.dev/<path in the repository>, docs/authoring.md).
 * A pack schema with no https `$id` (a `urn:`) keeps the relative path.
 */
export function modelineTarget(outDir: string, schemaFile: string, schema: SchemaNode): string {
  const relativePath = relative(outDir, schemaFile).split(sep).join('/');
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string' || !/^https:\/\/[^\s]+$/.test(id)) return relativePath;
  const installed = resolve(schemaFile).split(sep).includes('node_modules');
  const repo = gitTopLevel(outDir);
  const outside =
    repo !== undefined &&
    (relative(repo, schemaFile).startsWith(`..${sep}`) || isAbsolute(relative(repo, schemaFile)));
  return installed || outside ? id : relativePath;
}

/** The nearest folder at or above `dir` (which need not exist yet) holding `.git`. */
function gitTopLevel(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      statSync(join(current, '.git'));
      return current;
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

/**
 * Written beside starter evidence (never over an existing one): Git checks evidence out
 * with LF line ends on every platform, whatever core.autocrlf says, so that the files a
 * sign-off approved are byte for byte the files CI evaluates. prodgate's evidence digests
 * read CRLF as LF anyway (docs/audit.md); this keeps the files themselves identical.
 */
export const EVIDENCE_GITATTRIBUTES = `# Written by prodgate init: evidence is checked out with LF line ends everywhere
# (core.autocrlf=true on Windows would otherwise write CRLF). See prodgate's docs/audit.md.
*.yaml text eol=lf
*.yml text eol=lf
*.json text eol=lf
*.md text eol=lf
`;

/** Each kind's schema (the highest schemaVersion when a kind has several). */
async function schemasByKind(
  dir: string,
): Promise<Map<string, { file: string; schema: SchemaNode }>> {
  const found = new Map<string, { file: string; schema: SchemaNode; version: number }>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort()) {
    const file = join(dir, name);
    const schema = JSON.parse(await readFile(file, 'utf8')) as SchemaNode;
    const kind = schema.properties?.['kind']?.const;
    const version = schema.properties?.['schemaVersion']?.const;
    if (typeof kind !== 'string' || typeof version !== 'number') continue;
    const earlier = found.get(kind);
    if (!earlier || earlier.version < version) found.set(kind, { file, schema, version });
  }
  return new Map([...found].map(([k, v]) => [k, { file: v.file, schema: v.schema }]));
}
