// The evidence validators compiled into the bundle at build time: they decide exactly
// what validators compiled in-process decide, the same schemas give the same bytes, and
// a validator that no longer matches its schema file is an error, never a silent pass.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { loadBundle } from '../../src/load/load-bundle.ts';
import { loadPack } from '../../src/pack/pack.ts';
import { standaloneValidators } from '../../src/validate/compile-schemas.ts';
import { SchemaRegistry } from '../../src/validate/schema-registry.ts';
import {
  loadBundledValidators,
  type BundledValidators,
} from '../../src/validate/standalone-validators.ts';
import { validateEvidence } from '../../src/validate/validate-evidence.ts';
import { cleanupTmp, makeTmp, REPO_ROOT } from '../support/helpers.ts';

const SCHEMAS = join(REPO_ROOT, 'schemas/evidence');

let bundled: BundledValidators;
beforeAll(async () => {
  const { manifest, paths } = await loadPack();
  bundled = {
    path: join(paths.bundle, manifest.validators.path),
    sha256: manifest.validators.sha256,
    schemaDir: paths.schemas,
    schemas: manifest.validators.schemas,
  };
});
afterAll(cleanupTmp);

/** Every kind's outcome (validity, diagnostics, links) for a bundle, by a registry. */
async function outcomes(dir: string, registry: SchemaRegistry) {
  const bundle = await loadBundle(dir);
  const kinds = validateEvidence(bundle.files, registry);
  return {
    kinds: [...kinds.values()].map((k) => ({ kind: k.kind, valid: k.valid, links: k.links })),
    diagnostics: bundle.files.flatMap((f) => f.diagnostics),
  };
}

describe('compiled evidence validators', () => {
  it('are the committed bundle/validators.js: the same schemas give the same bytes', async () => {
    const built = await standaloneValidators(SCHEMAS);
    expect(built.source).toBe(await readFile(bundled.path, 'utf8'));
    expect(built.schemas).toEqual(bundled.schemas);
  });

  it('decide, locate and collect links exactly as validators compiled in-process', async () => {
    const compiled = await SchemaRegistry.load(SCHEMAS);
    const standalone = await loadBundledValidators(bundled);
    for (const env of ['pilot', 'staging', 'prod']) {
      expect(await outcomes(join(REPO_ROOT, 'evidence', env), standalone)).toEqual(
        await outcomes(join(REPO_ROOT, 'evidence', env), compiled),
      );
    }
    // Invalid evidence: wrong types, unknown and missing fields, a bad date format.
    const dir = await makeTmp('prodgate-standalone-');
    const ops = (await readFile(join(REPO_ROOT, 'evidence/prod/ops.yaml'), 'utf8'))
      .replace('runsBeforeDeploy: true', 'runsBeforeDeploy: yes please')
      .replace('job: server-migrate', 'jobb: x');
    await writeFile(join(dir, 'ops.yaml'), ops);
    await writeFile(join(dir, 'runbook.yaml'), 'kind: runbook\nschemaVersion: 1\nprimary: 42\n');
    const expected = await outcomes(dir, compiled);
    expect(expected.diagnostics.length).toBeGreaterThan(3);
    expect(await outcomes(dir, standalone)).toEqual(expected);
  });

  it('refuse a schema changed, added or removed since the pack was built', async () => {
    const schemaDir = await makeTmp('prodgate-schemas-');
    await cp(SCHEMAS, schemaDir, { recursive: true });
    await expect(loadBundledValidators({ ...bundled, schemaDir })).resolves.toBeInstanceOf(
      SchemaRegistry,
    );

    const security = join(schemaDir, 'security.v1.schema.json');
    const original = await readFile(security, 'utf8');
    await writeFile(security, original.replace('"maxLength": 2048', '"maxLength": 2049'));
    await expect(loadBundledValidators({ ...bundled, schemaDir })).rejects.toThrow(
      /differ from those the pack's validators were compiled from \(changed: security\.v1\.schema\.json\): run prodgate build/,
    );
    await writeFile(security, original);

    await writeFile(join(schemaDir, 'extra.v1.schema.json'), '{}');
    await expect(loadBundledValidators({ ...bundled, schemaDir })).rejects.toThrow(
      /added: extra\.v1\.schema\.json/,
    );
  });

  it('refuse validator code whose digest the manifest does not record', async () => {
    const dir = await makeTmp('prodgate-validators-');
    const path = join(dir, 'validators.js');
    await writeFile(path, `${await readFile(bundled.path, 'utf8')}exports.v0 = () => true;\n`);
    await expect(loadBundledValidators({ ...bundled, path })).rejects.toBeInstanceOf(
      CannotEvaluateError,
    );
    await expect(loadBundledValidators({ ...bundled, path })).rejects.toThrow(
      /are corrupt: sha256 [0-9a-f]{64} does not match the manifest's/,
    );
  });
});
