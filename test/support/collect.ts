import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveArtifactLimits, type ArtifactLimits } from '../../src/collect/limits.js';
import { importArtifact } from '../../src/collect/registry.js';
import type { TestCaseFact, TestRunFacts, ScanFacts } from '../../src/collect/facts.js';

export const SAMPLES = join(import.meta.dirname, '..', 'fixtures', 'artifacts');

export function sample(path: string): string {
  return readFileSync(join(SAMPLES, path), 'utf8');
}

export function collect(text: string, format?: string, limits: Partial<ArtifactLimits> = {}) {
  return importArtifact(text, resolveArtifactLimits(limits), format);
}

export function tests(text: string, format?: string): TestRunFacts {
  const result = collect(text, format);
  if (result.facts?.type !== 'tests')
    throw new Error(`not a test report: ${JSON.stringify(result.problems)}`);
  return result.facts;
}

export function scan(text: string, format?: string): ScanFacts {
  const result = collect(text, format);
  if (result.facts?.type !== 'scan')
    throw new Error(`not a scan: ${JSON.stringify(result.problems)}`);
  return result.facts;
}

export function statusCounts(cases: TestCaseFact[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.status] = (out[c.status] ?? 0) + 1;
  return out;
}

export function errors(result: { problems: { severity: string; code: string }[] }): string[] {
  return result.problems.filter((p) => p.severity === 'error').map((p) => p.code);
}
