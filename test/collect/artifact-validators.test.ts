// src/collect/artifact-validators.ts: the artifact schemas compiled at build time validate
// exactly as the schemas compiled in the process do.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  artifactValidator,
  compileArtifactValidators,
} from '../../src/collect/artifact-validators.ts';
import { REPO_ROOT } from '../support/helpers.ts';

/** Runs one compiled module as CommonJS, as require would. */
function load(code: string): { default: ValidateFunction; schemaSha256: string } {
  const module = { exports: {} as { default: ValidateFunction; schemaSha256: string } };
  new Function('require', 'module', 'exports', code)(
    (id: string) => requireHere(id),
    module,
    module.exports,
  );
  return module.exports;
}
const requireHere = createRequire(import.meta.url);

const FIXTURES = join(REPO_ROOT, 'test/fixtures/artifacts');
const documents = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((path) => /\.(sarif|json)$/.test(path))
  .map((path) => ({ path, value: JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) }));
const compiled = compileArtifactValidators();

describe('artifact validators compiled at build time', () => {
  it('cover every artifact schema', () => {
    const schemas = readdirSync(join(REPO_ROOT, 'schemas/artifacts'))
      .filter((n) => n.endsWith('.schema.json'))
      .map((n) => n.replace(/\.schema\.json$/, ''))
      .sort();
    expect([...compiled.keys()]).toEqual(schemas);
    expect(schemas.length).toBeGreaterThan(0);
  });

  it('give the same text for the same schemas', () => {
    expect(compileArtifactValidators()).toEqual(compiled);
  });

  it.each([...compiled.keys()])(
    '%s: same verdict and first error as the schema compiled here',
    (name) => {
      const atBuild = load(compiled.get(name) as string).default;
      const here = artifactValidator(name);
      const broken = [null, 7, 'text', [], {}, { runs: 'x' }, { version: '2.1.0', runs: [{}] }];
      let failures = 0;
      for (const value of [...documents.map((d) => d.value), ...broken]) {
        const verdict = here(value);
        expect(atBuild(value)).toBe(verdict);
        expect(atBuild.errors ?? null).toEqual(here.errors ?? null);
        if (!verdict) failures++;
      }
      expect(failures).toBeGreaterThan(0);
    },
  );

  it('record the digest of the schema they were compiled from', () => {
    const sarif = readFileSync(join(REPO_ROOT, 'schemas/artifacts/sarif.schema.json'));
    expect(load(compiled.get('sarif') as string).schemaSha256).toBe(
      createHash('sha256').update(sarif).digest('hex'),
    );
  });
});
