import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceFinding } from '../../src/core/finding.ts';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import type { EvidenceFile } from '../../src/load/evidence-file.ts';
import { loadBundle } from '../../src/load/load-bundle.ts';
import { LINK_KEYWORD, SchemaRegistry } from '../../src/validate/schema-registry.ts';
import { validateEvidence } from '../../src/validate/validate-evidence.ts';
import { cleanupTmp, makeTmp, REPO_ROOT } from '../support/helpers.ts';

const SCHEMAS = join(REPO_ROOT, 'schemas/evidence');
const KINDS = [
  'artifacts',
  'observability',
  'ops',
  'release',
  'runbook',
  'security',
  'signoff',
  'tenancy',
  'topology',
  'waivers',
];

let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await SchemaRegistry.load(SCHEMAS);
});
afterAll(cleanupTmp);

/** A bundle folder holding the given files (name -> text), loaded and validated. */
async function validated(files: Record<string, string>) {
  const dir = await makeTmp('prodgate-validate-');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const bundle = await loadBundle(dir);
  const kinds = validateEvidence(bundle.files, registry);
  const byPath = new Map(bundle.files.map((f) => [f.path, f]));
  return { kinds, files: bundle.files, file: (path: string) => byPath.get(path) as EvidenceFile };
}

async function prodText(name: string): Promise<string> {
  return readFile(join(REPO_ROOT, 'evidence/prod', name), 'utf8');
}

/** Staging's evidence: it still claims the dashboards and SLOs that prod records from configuration files. */
async function stagingText(name: string): Promise<string> {
  return readFile(join(REPO_ROOT, 'evidence/staging', name), 'utf8');
}

function errors(file: EvidenceFile): EvidenceFinding[] {
  return file.diagnostics.filter((d) => d.severity === 'error');
}

/** The 1-based line number of the first line of text that starts with `prefix` (after indentation). */
function lineOf(text: string, prefix: string): number {
  const index = text.split('\n').findIndex((l) => l.trimStart().startsWith(prefix));
  if (index < 0) throw new Error(`no line starts with ${prefix}`);
  return index + 1;
}

describe('SchemaRegistry', () => {
  it('indexes the shipped evidence schemas by kind and version', () => {
    expect(registry.knownKinds()).toEqual(KINDS);
    for (const kind of KINDS) {
      expect(registry.versionsOf(kind)).toEqual([1]);
      expect(registry.schemaFor(kind, 1)).toBeDefined();
      expect(registry.schemaFor(kind, 2)).toBeUndefined();
      expect(registry.schemaFor(kind, '1')).toBeUndefined();
    }
    expect(registry.versionsOf('nonsense')).toEqual([]);
  });

  it('throws CannotEvaluateError for a missing schema folder or an unusable schema', async () => {
    const dir = await makeTmp();
    await expect(SchemaRegistry.load(join(dir, 'nope'))).rejects.toBeInstanceOf(
      CannotEvaluateError,
    );
    await writeFile(join(dir, 'bad.schema.json'), '{"$id": "urn:x", "type": "object"}');
    await expect(SchemaRegistry.load(dir)).rejects.toBeInstanceOf(CannotEvaluateError);
    await writeFile(join(dir, 'bad.schema.json'), '{ not json');
    await expect(SchemaRegistry.load(dir)).rejects.toThrow(/bad\.schema\.json/);
  });

  it('collects links through the x-prodgate-link keyword, including in arrays and $ref', async () => {
    expect(LINK_KEYWORD).toBe('x-prodgate-link');
    const { kinds } = await validated({
      'runbook.yaml': await prodText('runbook.yaml'),
      'observability.yaml': await stagingText('observability.yaml'),
      'ops.yaml': await prodText('ops.yaml'),
    });
    expect(kinds.get('runbook')?.links).toEqual([
      { pointer: '/backupRestore', value: 'evidence/docs/ops/restore.md' },
      {
        pointer: '/knownIssues',
        value: 'https://github.com/todox/todox/issues?q=label%3Aknown-issue',
      },
      { pointer: '/primary', value: 'evidence/docs/runbooks/release.md' },
      { pointer: '/rollback', value: 'evidence/docs/runbooks/rollback.md' },
    ]);
    expect(kinds.get('observability')?.links.map((l) => l.pointer)).toEqual([
      '/dashboards/0/link',
      '/dashboards/1/link',
      '/dashboards/2/link',
    ]);
    expect(kinds.get('ops')?.links).toEqual([
      { pointer: '/backups/restore/procedure', value: 'evidence/docs/ops/restore.md' },
      { pointer: '/secretsManager/rotationPlan', value: 'evidence/docs/ops/secret-rotation.md' },
    ]);
    // plain strings that are not marked as links are not collected
    expect(kinds.get('ops')?.links.some((l) => l.value === 'server-migrate')).toBe(false);
  });
});

describe('validateEvidence', () => {
  it('accepts every file of the prod example', async () => {
    const files: Record<string, string> = {};
    // waivers are optional evidence: prod ships none.
    const shipped = KINDS.filter((kind) => kind !== 'waivers');
    for (const kind of shipped) files[`${kind}.yaml`] = await prodText(`${kind}.yaml`);
    const { kinds, files: loaded } = await validated(files);
    expect([...kinds.keys()].sort()).toEqual(shipped);
    for (const entry of kinds.values()) expect(entry.valid, entry.kind).toBe(true);
    expect(loaded.flatMap((f) => f.diagnostics)).toEqual([]);
  });

  it('reports an unknown kind at the kind field', async () => {
    const text = (await prodText('topology.yaml')).replace('kind: topology', 'kind: topolgy');
    const { kinds, file } = await validated({ 'topology.yaml': text });
    expect(errors(file('topology.yaml'))).toEqual([
      expect.objectContaining({
        code: 'unknown-kind',
        pointer: '/kind',
        line: lineOf(text, 'kind:'),
        column: 1,
        file: 'topology.yaml',
      }),
    ]);
    expect(errors(file('topology.yaml'))[0]?.message).toContain('topolgy');
    // an unknown kind is never treated as valid evidence of any kind
    expect(kinds.has('topolgy')).toBe(false);
    expect(kinds.get('topology')?.valid).not.toBe(true);
  });

  it('reports a file without a kind', async () => {
    const { file } = await validated({ 'misc.yaml': 'schemaVersion: 1\nfoo: bar\n' });
    expect(errors(file('misc.yaml'))).toEqual([
      expect.objectContaining({ code: 'unknown-kind', pointer: '/kind' }),
    ]);
    expect(errors(file('misc.yaml'))[0]?.message).toMatch(/declares no kind/);
  });

  it('reports an unsupported schemaVersion at its field', async () => {
    const text = (await prodText('signoff.yaml')).replace('schemaVersion: 1', 'schemaVersion: 2');
    const { kinds, file } = await validated({ 'signoff.yaml': text });
    expect(errors(file('signoff.yaml'))).toEqual([
      expect.objectContaining({
        code: 'unknown-schema-version',
        pointer: '/schemaVersion',
        line: lineOf(text, 'schemaVersion:'),
        column: 1,
      }),
    ]);
    expect(errors(file('signoff.yaml'))[0]?.message).toMatch(/supported: 1/);
    expect(kinds.get('signoff')?.valid).not.toBe(true);
  });

  it('reports a string schemaVersion "1" as unsupported (no type coercion)', async () => {
    const text = (await prodText('signoff.yaml')).replace('schemaVersion: 1', 'schemaVersion: "1"');
    const { file } = await validated({ 'signoff.yaml': text });
    expect(errors(file('signoff.yaml')).map((d) => d.code)).toEqual(['unknown-schema-version']);
  });

  it('reports a missing required field, located at its parent', async () => {
    const original = await prodText('topology.yaml');
    const text = original.replace(/^ {4}recoveryTime: .*\n/m, '');
    expect(text).not.toBe(original);
    const { kinds, file } = await validated({ 'topology.yaml': text });
    const found = errors(file('topology.yaml'));
    expect(found).toEqual([
      expect.objectContaining({
        code: 'schema-violation',
        pointer: '/singleNode/failureMode/recoveryTime',
        line: lineOf(text, 'failureMode:'),
        column: 3,
      }),
    ]);
    expect(found[0]?.message).toBe('missing required field "recoveryTime"');
    expect(kinds.get('topology')?.valid).toBe(false);
  });

  it('reports an unknown field at the field itself', async () => {
    const text = (await prodText('security.yaml')).replace(
      '  allowCredentials: true\n',
      '  allowCredentials: true\n  allowAll: true\n',
    );
    const { kinds, file } = await validated({ 'security.yaml': text });
    expect(errors(file('security.yaml'))).toEqual([
      expect.objectContaining({
        code: 'schema-violation',
        pointer: '/cors/allowAll',
        line: lineOf(text, 'allowAll:'),
        column: 3,
      }),
    ]);
    expect(errors(file('security.yaml'))[0]?.message).toBe('unknown field "allowAll"');
    expect(kinds.get('security')?.valid).toBe(false);
  });

  it('reports a wrong value at the value, with the allowed values', async () => {
    const text = (await prodText('topology.yaml')).replace(
      'decision: single-node',
      'decision: hybrid',
    );
    const { file } = await validated({ 'topology.yaml': text });
    const found = errors(file('topology.yaml'));
    expect(found).toEqual([
      expect.objectContaining({
        code: 'schema-violation',
        pointer: '/decision',
        line: lineOf(text, 'decision:'),
        column: 1,
      }),
    ]);
    expect(found[0]?.message).toContain('"single-node"');
  });

  it('reports an item of a list at its own line', async () => {
    const text = (await stagingText('ops.yaml')).replace(
      '  - type: latency',
      '  - type: throughput',
    );
    const { file } = await validated({ 'ops.yaml': text });
    const found = errors(file('ops.yaml'));
    expect(found.map((d) => d.pointer)).toEqual(['/slos/2/type']);
    expect(found[0]?.line).toBe(lineOf(text, '- type: throughput'));
    expect(found[0]?.column).toBe(5);
  });

  it('makes a kind declared by two files invalid, with a diagnostic in each file', async () => {
    const text = await prodText('runbook.yaml');
    const { kinds, file } = await validated({ 'runbook.yaml': text, 'runbook-copy.yaml': text });
    expect(kinds.get('runbook')?.valid).toBe(false);
    for (const [path, other] of [
      ['runbook.yaml', 'runbook-copy.yaml'],
      ['runbook-copy.yaml', 'runbook.yaml'],
    ]) {
      const found = errors(file(path as string));
      expect(found).toEqual([
        expect.objectContaining({
          code: 'duplicate-kind',
          pointer: '/kind',
          line: lineOf(text, 'kind:'),
        }),
      ]);
      expect(found[0]?.message).toContain(other);
    }
  });

  it('charges a file that does not parse to the kind its name says', async () => {
    const { kinds, file } = await validated({
      'security.yaml': 'kind: security\ncors: [oops\n',
      'release.yaml': await prodText('release.yaml'),
    });
    expect(kinds.get('security')).toMatchObject({ kind: 'security', valid: false, links: [] });
    expect(kinds.get('security')?.file).toBe(file('security.yaml'));
    expect(kinds.get('release')?.valid).toBe(true);
    // a name that is no kind is not charged to anything
    const other = await validated({ 'notes.yaml': 'a: [\n' });
    expect(other.kinds.size).toBe(0);
  });

  it('does not validate a file that failed to parse again (one diagnostic only)', async () => {
    const { file } = await validated({ 'ops.yaml': 'kind: ops\nkind: ops\n' });
    expect(file('ops.yaml').diagnostics.map((d) => d.code)).toEqual(['duplicate-key']);
  });
});
