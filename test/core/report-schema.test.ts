// The report's JSON Schema is the single source of the report contract: the generated
// TypeScript shape is current, the renderer's maxima are the schema's, and verify and
// diff refuse what the schema refuses, in one line naming the JSON pointer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchemaNumber, reportSchemaProblem } from '../../src/core/report-schema.ts';
import { REPO_ROOT } from '../support/helpers.ts';
// @ts-expect-error: a plain .mjs script without types.
import { reportTypesSource } from '../../scripts/gen-report-types.mjs';

const committed = async (): Promise<Record<string, any>> =>
  JSON.parse(
    await readFile(join(REPO_ROOT, 'outputs/P4_PROD_READINESS_REPORT_staging.json'), 'utf8'),
  );

describe('the report schema as the single source', () => {
  it('src/core/report-types.generated.ts is what the schema generates', async () => {
    const generated = await readFile(join(REPO_ROOT, 'src/core/report-types.generated.ts'), 'utf8');
    expect(generated).toBe(await (reportTypesSource as () => Promise<string>)());
  });

  it('states the maxima the renderer keeps to, and refuses a pointer that states none', () => {
    expect(reportSchemaNumber('/properties/gates/maxItems')).toBe(10_000);
    expect(reportSchemaNumber('/properties/diagnostics/maxItems')).toBe(100_000);
    expect(() => reportSchemaNumber('/properties/gates/maxLength')).toThrow(
      /states no number at \/properties\/gates\/maxLength/,
    );
  });

  it('accepts the committed reports, and one without provenance only where it is optional', async () => {
    const report = await committed();
    expect(reportSchemaProblem(report, { provenance: true })).toBeUndefined();
    const { provenance: _p, ...old } = report;
    expect(reportSchemaProblem(old, { provenance: false })).toBeUndefined();
    expect(reportSchemaProblem(old, { provenance: true })).toBe('/provenance is missing');
  });

  it.each([
    [
      'verdict',
      (r: Record<string, any>) => (r['verdict'] = 'MAYBE'),
      '/verdict must be one of "GO", "NO-GO"',
    ],
    [
      'version',
      (r: Record<string, any>) => (r['reportVersion'] = 2),
      '/reportVersion must be one of 1',
    ],
    [
      'environment',
      (r: Record<string, any>) => (r['environment'] = '../../prod'),
      '/environment must be an environment name (lowercase letters, digits and hyphens)',
    ],
    [
      'digest',
      (r: Record<string, any>) => (r['evidence'].digest = 'abc'),
      '/evidence/digest must be a sha256 in hex',
    ],
    [
      'file digest',
      (r: Record<string, any>) => (r['evidence'].files[0].sha256 = 'x'),
      '/evidence/files/0/sha256 must be a sha256 in hex (or empty)',
    ],
    [
      'date',
      (r: Record<string, any>) => (r['asOf'] = '25.11.2026'),
      '/asOf must be a date YYYY-MM-DD',
    ],
    ['type', (r: Record<string, any>) => (r['gates'] = {}), '/gates must be a list'],
    [
      'key',
      (r: Record<string, any>) => (r['gates'][0]['x\n::error::y'] = 1),
      '/gates/0/x\\n::error::y is not a field of the report schema',
    ],
    [
      'length',
      (r: Record<string, any>) => (r['tool'].name = 'x'.repeat(101)),
      '/tool/name is longer than the report schema allows (100 characters)',
    ],
    [
      'limit',
      (r: Record<string, any>) => (r['provenance'].limits.maxDepth = 0),
      '/provenance/limits/maxDepth must be a whole number of at least 1',
    ],
  ])(
    'refuses a report with a bad %s in one line naming its pointer',
    async (_name, edit, message) => {
      const report = await committed();
      edit(report);
      const problem = reportSchemaProblem(report, { provenance: true });
      expect(problem).toBe(message);
      expect(problem).not.toContain('\n');
    },
  );
});
