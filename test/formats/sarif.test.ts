// renderSarif: valid SARIF 2.1.0 (the official JSON Schema), results where code scanning must point.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { renderSarif } from '../../src/render/formats/sarif.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp, REPO_ROOT } from '../helpers.ts';
import { brokenProdReport, exampleReports, shippedPack, waivedStagingReport } from './pipeline.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

/**
 * The SARIF 2.1.0 JSON Schema as published on SchemaStore (sarif-2.1.0-rtm.5), shipped
 * in the devDependency @microsoft/jest-sarif. It is a draft-04 schema.
 */
const SARIF_SCHEMA_MODULE = '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

// Keywords that mean the same in draft-04 and draft-07 when no `items` is a tuple and
// no `exclusiveMinimum`/`exclusiveMaximum` is a boolean: checked below, so that the one
// rewrite (draft-04's `id` to `$id`) cannot change what the schema accepts.
const PORTABLE_KEYWORDS = new Set([
  '$ref', '$schema', 'id', 'title', 'description', 'default', 'type', 'properties', 'additionalProperties', 'required', 'items',
  'minItems', 'uniqueItems', 'enum', 'anyOf', 'oneOf', 'pattern', 'format', 'minimum', 'maximum', 'definitions',
]);

function loadSarifSchema(): ValidateFunction {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve(SARIF_SCHEMA_MODULE);
  } catch {
    throw new Error(`the SARIF 2.1.0 schema is not installed: add the devDependency (npm install --save-dev --save-exact @microsoft/jest-sarif@1.0.0-beta.0); looked for ${SARIF_SCHEMA_MODULE}`);
  }
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  expect(schema['$schema']).toBe('http://json-schema.org/draft-04/schema#');
  const walk = (node: unknown, container: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, ''));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (container !== 'properties' && container !== 'definitions') {
        expect(PORTABLE_KEYWORDS.has(key), `keyword ${key}`).toBe(true);
        if (key === 'items') expect(Array.isArray(value), 'tuple items').toBe(false);
      }
      walk(value, key);
    }
  };
  walk(schema, '');
  const { $schema: _draft04, id, ...rest } = schema;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only a
  // non-unicode regular expression (what draft-04 validators in JavaScript use) accepts.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ $id: String(id), ...rest });
}

let reports: Report[];
let gates: GateMeta[];
let validate: ValidateFunction;
beforeAll(async () => {
  validate = loadSarifSchema();
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

function render(list: Report[], options = {}): Log {
  const text = renderSarif(list, gates, options);
  const log = JSON.parse(text) as Log;
  expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  return log;
}

function results(log: Log): Result[] {
  return log.runs[0]?.results ?? [];
}

function where(result: Result): string {
  const loc = result.locations?.[0]?.physicalLocation;
  return `${loc?.artifactLocation?.uri}:${loc?.region?.startLine}:${loc?.region?.startColumn}`;
}

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema, which does reject a broken log', () => {
    const log = render(reports);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    (broken.runs[0]?.results[0] as { level: string }).level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('declares one rule per gate, with the description and the remediation as help', () => {
    const rules = render(reports).runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(gates.map((g) => g.id));
    const cors = gates.find((g) => g.id === 'security.cors') as GateMeta;
    const rule = rules.find((r) => r.id === 'security.cors');
    expect(rule?.fullDescription?.text).toBe(cors.description);
    expect(rule?.help?.text).toContain(`Remediation: ${cors.remediation}`);
    expect(rule?.help?.markdown).toContain(`**Remediation:** ${cors.remediation}`);
    expect(rule?.help?.text).toContain(`prod: ${cors.rules['prod']}`);
  });

  it('has one result per failing item of staging and none for GO environments, each at the line it rests on', () => {
    const log = render(reports);
    const list = results(log);
    expect(list.map((r) => r.ruleId)).toEqual(['security.cors', 'tenancy.isolation.embeddings', 'observability.alert-routing', 'runbook.known-issues']);
    for (const result of list) {
      expect(result.level).toBe('error');
      expect(result.ruleIndex).toBe(gates.findIndex((g) => g.id === result.ruleId));
      expect(result.properties?.['environment']).toBe('staging');
      expect(result.partialFingerprints?.['prodgateGate/v1']).toBe(`staging/${result.ruleId}`);
    }
    // The region is the real line of the evidence in the repository.
    const cors = list[0] as Result;
    const loc = cors.locations?.[0]?.physicalLocation;
    expect(loc?.artifactLocation?.uri).toBe('evidence/staging/security.yaml');
    const line = readFileSync(join(REPO_ROOT, 'evidence/staging/security.yaml'), 'utf8').split('\n')[(loc?.region?.startLine ?? 0) - 1];
    expect(line).toContain('https://*.preview.todox.example');
    expect(cors.message.text).toMatch(/^\[staging\] FAIL security\.cors: /);
    for (const result of list) {
      const path = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
      expect(where(result)).toMatch(/^evidence\/staging\/\w+\.yaml:\d+:\d+$/);
    }
  });

  it('takes the evidence folder from the options', () => {
    const list = results(render(reports, { evidenceDir: (env: string) => `deploy/${env}/evidence/` }));
    expect(list.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)[0]).toBe('deploy/staging/evidence/security.yaml');
  });

  it('leaves waived gates out of the results', async () => {
    const list = results(render([await waivedStagingReport()]));
    expect(list.map((r) => r.ruleId)).toEqual(['tenancy.isolation.embeddings', 'observability.alert-routing']);
  });

  it('points erroring gates and the schema error at the invalid line', async () => {
    const broken = await brokenProdReport();
    const list = results(render([broken]));
    const diagnostic = broken.diagnostics[0];
    if (!diagnostic) throw new Error('the broken report has no diagnostic');
    const at = `evidence/prod/security.yaml:${diagnostic.line}:${diagnostic.column}`;
    const schemaError = list.find((r) => r.ruleId === 'evidence/schema-violation');
    expect(schemaError && where(schemaError)).toBe(at);
    const erroring = list.filter((r) => r.properties?.['status'] === 'error');
    expect(erroring.map((r) => r.ruleId)).toContain('security.cors');
    for (const r of erroring) expect(where(r), r.ruleId).toBe(at);
    expect(erroring.length).toBe(broken.gates.filter((g) => g.status === 'error' && g.reasons.some((x) => x.code !== 'child-status')).length);
  });

  it('is byte-identical for the same reports', () => {
    expect(renderSarif(reports, gates)).toBe(renderSarif(structuredClone(reports), structuredClone(gates)));
  });
});
