import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { hasErrors, positionOf } from '../../src/load/evidence-file.ts';
import { DEFAULT_LOAD_LIMITS, loadBundle } from '../../src/load/load-bundle.ts';
import { cleanupTmp, makeTmp, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

async function bundleWith(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await makeTmp('prodgate-bundle-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe('loadBundle', () => {
  it('reads only .json, .yaml and .yml files, in name order, and warns about the others', async () => {
    const dir = await bundleWith({
      'b.yaml': 'kind: b\nschemaVersion: 1\n',
      'a.json': '{"kind": "a", "schemaVersion": 1}',
      'c.yml': 'kind: c\n',
      'D.YAML': 'kind: d\n',
      'notes.txt': 'kind: notes\n',
      'README.md': '# readme\n',
      'data.yaml.bak': 'kind: bak\n',
      '.hidden.yaml': 'kind: hidden\n',
    });
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'nested.yaml'), 'kind: nested\n');

    const { files, diagnostics } = await loadBundle(dir);
    expect(files.map((f) => f.path)).toEqual(['D.YAML', 'a.json', 'b.yaml', 'c.yml']);
    expect(files.map((f) => f.format)).toEqual(['yaml', 'json', 'yaml', 'yaml']);
    expect(files.map((f) => f.kind)).toEqual(['d', 'a', 'b', 'c']);
    expect(files.find((f) => f.path === 'a.json')?.schemaVersion).toBe(1);
    expect(files.every((f) => f.diagnostics.length === 0)).toBe(true);

    const ignored = diagnostics.map((d) => [d.severity, d.code, d.file]).sort();
    expect(ignored).toEqual([
      ['warning', 'ignored-file', 'README.md'],
      ['warning', 'ignored-file', 'data.yaml.bak'],
      ['warning', 'ignored-file', 'notes.txt'],
      ['warning', 'ignored-file', 'sub'],
    ]);
  });

  it('records each file sha256 and the positions of its values', async () => {
    const text = '# comment\nkind: topology\nschemaVersion: 1\ndecision: single-node\n';
    const dir = await bundleWith({ 'topology.yaml': text });
    const [file] = (await loadBundle(dir)).files;
    expect(file?.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(file?.data).toEqual({ kind: 'topology', schemaVersion: 1, decision: 'single-node' });
    expect(file && positionOf(file, '/decision')).toEqual({ line: 4, column: 1 });
    // a pointer that does not exist falls back to its nearest located ancestor
    expect(file && positionOf(file, '/decision/x/y')).toEqual({ line: 4, column: 1 });
  });

  it('turns an unreadable entry (a folder or a dangling link named .yaml) into an error diagnostic', async () => {
    const dir = await bundleWith({ 'ok.yaml': 'kind: ok\n' });
    await mkdir(join(dir, 'folder.yaml'));
    await symlink(join(dir, 'does-not-exist'), join(dir, 'dangling.yaml'));
    const { files } = await loadBundle(dir);
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const name of ['folder.yaml', 'dangling.yaml']) {
      const file = byPath.get(name);
      expect(file, name).toBeDefined();
      expect(file?.data).toBeUndefined();
      expect(file?.diagnostics.map((d) => [d.severity, d.code])).toEqual([['error', 'unreadable']]);
      expect(file && hasErrors(file)).toBe(true);
    }
    expect(byPath.get('ok.yaml')?.diagnostics).toEqual([]);
  });

  it('rejects invalid UTF-8 with a parse-error diagnostic', async () => {
    const dir = await bundleWith({
      'security.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    });
    const [file] = (await loadBundle(dir)).files;
    expect(file?.data).toBeUndefined();
    expect(file?.diagnostics).toHaveLength(1);
    expect(file?.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'parse-error',
      file: 'security.yaml',
    });
    expect(file?.diagnostics[0]?.message).toMatch(/UTF-8/);
    expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['list.yaml', '- a\n- b\n'],
    ['scalar.yaml', 'just a string\n'],
    ['empty.yaml', ''],
    ['comment.yml', '# nothing\n'],
    ['number.json', '42'],
    ['array.json', '[{"kind": "x"}]'],
    ['null.json', 'null'],
  ])('reports a non-object root (%s) as not-an-object', async (name, content) => {
    const dir = await bundleWith({ [name]: content });
    const [file] = (await loadBundle(dir)).files;
    expect(file?.data).toBeUndefined();
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['not-an-object']);
  });

  it('turns a parse error into a located diagnostic', async () => {
    const dir = await bundleWith({
      'ops.yaml': 'kind: ops\nschemaVersion: 1\nkind: ops\n',
      'x.json': '{"a": 1,\n "a": 2}',
    });
    const { files } = await loadBundle(dir);
    const [ops, json] = files;
    expect(ops?.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'duplicate-key',
        file: 'ops.yaml',
        line: 3,
      }),
    ]);
    expect(json?.diagnostics).toEqual([
      expect.objectContaining({
        code: 'duplicate-key',
        file: 'x.json',
        line: 2,
        column: 2,
        pointer: '/a',
      }),
    ]);
  });

  it('refuses a file over the size limit without parsing it', async () => {
    const dir = await bundleWith({ 'big.yaml': `kind: big\nfiller: "${'x'.repeat(200)}"\n` });
    const [file] = (await loadBundle(dir, { ...DEFAULT_LOAD_LIMITS, maxFileBytes: 100 })).files;
    expect(file?.data).toBeUndefined();
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['limit-exceeded']);
  });

  it('throws CannotEvaluateError for a missing folder or a path that is not a folder', async () => {
    const dir = await makeTmp();
    await expect(loadBundle(join(dir, 'nope'))).rejects.toBeInstanceOf(CannotEvaluateError);
    await writeFile(join(dir, 'file.yaml'), 'kind: x\n');
    await expect(loadBundle(join(dir, 'file.yaml'))).rejects.toBeInstanceOf(CannotEvaluateError);
    await expect(loadBundle(join(dir, 'nope'))).rejects.toThrow(/cannot be read/);
  });

  it('loads the prod example bundle without any diagnostic but the artifacts folder (read by the collect stage, not as evidence)', async () => {
    const { files, diagnostics } = await loadBundle(join(REPO_ROOT, 'evidence/prod'));
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['ignored-file', 'artifacts']]);
    expect(files.map((f) => f.kind)).toEqual([
      'artifacts',
      'observability',
      'ops',
      'release',
      'runbook',
      'security',
      'signoff',
      'tenancy',
      'topology',
    ]);
    for (const file of files) {
      expect(file.diagnostics).toEqual([]);
      expect(file.sha256).toBe(
        createHash('sha256')
          .update(await readFile(join(REPO_ROOT, 'evidence/prod', file.path)))
          .digest('hex'),
      );
    }
  });
});
