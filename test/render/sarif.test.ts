// renderSarif: valid SARIF 2.1.0 (the official JSON Schema), results where code scanning must point.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Log, Result, Run } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { SARIF_LIMITS, fitSarifToLimits } from '../../src/render/formats/sarif-limits.ts';
import { renderSarif, sarifLog, sarifText } from '../../src/render/formats/sarif.ts';
import { buildReport } from '../../src/render/report.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp, copyEvidence, REPO_ROOT } from '../support/helpers.ts';
import {
  brokenProdReport,
  evaluate,
  exampleReports,
  shippedPack,
  waivedStagingReport,
} from '../support/pipeline.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

/**
 * The final OASIS SARIF 2.1.0 JSON Schema (sarif-schema-2.1.0.json of the OASIS TC's
 * Schemata, draft-07, with errata 01), shipped in the devDependency
 * @datadog/datadog-ci-plugin-sarif 3.22.2 (Apache-2.0), which validates uploads with it.
 */
const SARIF_SCHEMA_PACKAGE = '@datadog/datadog-ci-plugin-sarif';
const SARIF_SCHEMA_FILE = 'dist/json-schema/sarif-schema-2.1.0.json';

function loadSarifSchema(): ValidateFunction {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    // The package's exports name only package.json: the schema file is found beside it.
    path = join(
      dirname(require.resolve(`${SARIF_SCHEMA_PACKAGE}/package.json`)),
      SARIF_SCHEMA_FILE,
    );
    readFileSync(path);
  } catch {
    throw new Error(
      `the SARIF 2.1.0 schema is not installed: add the devDependency (npm install --save-dev --save-exact @datadog/datadog-ci-plugin-sarif@3.22.2); looked for ${SARIF_SCHEMA_PACKAGE}/${SARIF_SCHEMA_FILE}`,
    );
  }
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // The final schema, not a draft (the rtm.N drafts differ in what they accept).
  expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  expect(schema['$id']).toMatch(/sarif-schema-2\.1\.0\.json$/);
  expect(JSON.stringify(schema)).not.toContain('rtm.');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

let reports: Report[];
let gates: GateMeta[];
let validate: ValidateFunction;
beforeAll(async () => {
  validate = loadSarifSchema();
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

function results(log: Log, run = 1): Result[] {
  return log.runs[run]?.results ?? [];
}

function _allResults(log: Log): Result[] {
  return log.runs.flatMap((r) => r.results ?? []);
}

/**
 * GitHub code scanning's ingestion rules (the GH10xx rules of Microsoft's SARIF
 * Multitool, and the upload limits of docs.github.com "SARIF results exceed limit"),
 * as problems; empty when GitHub would take the file and fingerprint every result.
 */
function githubIngestionProblems(log: Log, text: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(gzipSync(text)) > 10 * 1000 * 1000)
    problems.push('file over 10 MB gzip-compressed');
  if (log.runs.length > 20) problems.push(`${log.runs.length} runs > 20`);
  const categories = new Set<string>();
  log.runs.forEach((run, r) => {
    const id = run.automationDetails?.id ?? '';
    const category = `${run.tool.driver.name}/${id.slice(0, id.lastIndexOf('/') + 1)}`;
    if (categories.has(category)) problems.push(`run ${r}: a second run of ${category}`);
    categories.add(category);
    const rules = run.tool.driver.rules ?? [];
    if (rules.length > 25_000) problems.push(`run ${r}: ${rules.length} rules > 25,000`);
    const list = run.results ?? [];
    if (list.length > 25_000) problems.push(`run ${r}: ${list.length} results > 25,000`);
    for (const rule of rules) {
      const tags = (rule.properties?.tags ?? []) as string[];
      if (tags.length > 20) problems.push(`rule ${rule.id}: ${tags.length} tags > 20`);
      const score = rule.properties?.['security-severity'];
      if (
        score !== undefined &&
        !(typeof score === 'string' && /^\d+(\.\d+)?$/.test(score) && Number(score) <= 10)
      )
        problems.push(`rule ${rule.id}: security-severity ${String(score)}`);
    }
    const hashes = new Set<string>();
    list.forEach((result, i) => {
      const at = `run ${r} result ${i} (${result.ruleId})`;
      if (!result.message.text) problems.push(`${at}: no message`);
      const rule = rules.find((x) => x.id === result.ruleId);
      if (!rule) problems.push(`${at}: rule not declared`);
      if (result.ruleIndex !== undefined && rules[result.ruleIndex]?.id !== result.ruleId)
        problems.push(`${at}: ruleIndex points elsewhere`);
      const locations = result.locations ?? [];
      if (locations.length === 0) problems.push(`${at}: GH1001 no location`);
      if (locations.length > 1000) problems.push(`${at}: ${locations.length} locations > 1,000`);
      for (const loc of locations) {
        const uri = loc.physicalLocation?.artifactLocation?.uri;
        if (!uri) problems.push(`${at}: GH1001 no artifactLocation.uri`);
        else if (
          /^[a-z][a-z0-9+.-]*:/i.test(uri) ||
          uri.startsWith('/') ||
          uri.split('/').includes('..')
        )
          problems.push(`${at}: GH1005 ${uri} is not a relative path in the repository`);
        const line = loc.physicalLocation?.region?.startLine;
        if (!(typeof line === 'number' && line >= 1))
          problems.push(`${at}: GH1003 no region.startLine`);
      }
      const hash = result.partialFingerprints?.['primaryLocationLineHash'];
      if (!hash) problems.push(`${at}: no primaryLocationLineHash`);
      else if (hashes.has(hash)) problems.push(`${at}: duplicate fingerprint ${hash}`);
      else hashes.add(hash);
    });
  });
  return problems;
}

function render(list: Report[], options = {}): Log {
  const text = renderSarif(list, gates, options);
  const log = JSON.parse(text) as Log;
  expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  expect(githubIngestionProblems(log, text)).toEqual([]);
  return log;
}

function where(result: Result): string {
  const loc = result.locations?.[0]?.physicalLocation;
  return `${loc?.artifactLocation?.uri}:${loc?.region?.startLine}:${loc?.region?.startColumn}`;
}

describe('renderSarif', () => {
  it('validates against the final SARIF 2.1.0 schema, which does reject a broken log', () => {
    const log = render(reports);
    expect(log.version).toBe('2.1.0');
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    (broken.runs[1]?.results[0] as { level: string }).level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('has one run per environment, each its own code-scanning category, with the tool described', () => {
    const log = render(reports);
    expect(log.runs.map((r) => r.automationDetails?.id)).toEqual([
      'prodgate/pilot/',
      'prodgate/staging/',
      'prodgate/prod/',
    ]);
    for (const run of log.runs) {
      expect(run.tool.driver.fullName).toMatch(/prodgate/);
      expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
      for (const rule of run.tool.driver.rules ?? [])
        expect(rule.helpUri, rule.id).toMatch(/^https:\/\//);
    }
    // The check itself can fail: two runs in one category are refused.
    const twice = structuredClone(log);
    (twice.runs[1] as Run).automationDetails = { id: 'prodgate/pilot/' };
    expect(githubIngestionProblems(twice, JSON.stringify(twice))).toEqual([
      'run 1: a second run of prodgate/prodgate/pilot/',
    ]);
  });

  it('declares one rule per gate, with the description, the remediation as help, a level from its severity', () => {
    const rules = render(reports).runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(gates.map((g) => g.id));
    const cors = gates.find((g) => g.id === 'security.cors') as GateMeta;
    const rule = rules.find((r) => r.id === 'security.cors');
    expect(rule?.fullDescription?.text).toBe(cors.description);
    expect(rule?.help?.text).toContain(`Remediation: ${cors.remediation}`);
    expect(rule?.help?.markdown).toContain(`**Remediation:** ${cors.remediation}`);
    expect(rule?.help?.text).toContain(`prod: ${cors.rules['prod']}`);
    const level = { critical: 'error', high: 'error', medium: 'warning', low: 'note' } as Record<
      string,
      string
    >;
    for (const gate of gates) {
      const r = rules.find((x) => x.id === gate.id);
      expect(r?.defaultConfiguration?.level, gate.id).toBe(level[gate.severity]);
      // security-severity only on rules tagged security (GitHub then ranks them as security alerts).
      const tagged = ((r?.properties?.tags ?? []) as string[]).includes('security');
      expect(tagged).toBe(gate.section === 'security');
      expect(r?.properties?.['security-severity'] !== undefined, gate.id).toBe(tagged);
    }
    expect(rules.find((r) => r.id === 'security.cors')?.properties?.['security-severity']).toBe(
      '9.5',
    );
  });

  it('has one result per failing item of staging and none for GO environments, each at the line it rests on', () => {
    const log = render(reports);
    expect(results(log, 0)).toEqual([]);
    expect(results(log, 2)).toEqual([]);
    const list = results(log);
    expect(list.map((r) => r.ruleId)).toEqual([
      'security.cors',
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
      'runbook.known-issues',
    ]);
    const rules = log.runs[1]?.tool.driver.rules ?? [];
    for (const result of list) {
      const gate = gates.find((g) => g.id === result.ruleId) as GateMeta;
      expect(result.level).toBe(gate.severity === 'medium' ? 'warning' : 'error');
      expect(rules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result.properties?.['environment']).toBe('staging');
      expect(result.partialFingerprints?.['primaryLocationLineHash']).toMatch(/^[0-9a-f]{16}:1$/);
    }
    // The region is the real line of the evidence in the repository.
    const cors = list[0] as Result;
    const loc = cors.locations?.[0]?.physicalLocation;
    expect(loc?.artifactLocation?.uri).toBe('evidence/staging/security.yaml');
    const line = readFileSync(join(REPO_ROOT, 'evidence/staging/security.yaml'), 'utf8').split(
      '\n',
    )[(loc?.region?.startLine ?? 0) - 1];
    expect(line).toContain('https://*.preview.todox.example');
    expect(cors.message.text).toMatch(/^\[staging\] FAIL security\.cors: /);
    for (const result of list) {
      const path = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
      expect(where(result)).toMatch(
        /^evidence\/staging\/(\w+\.yaml|artifacts\/[\w.-]+|config\/[\w.-]+):\d+:\d+$/,
      );
    }
  });

  it('fingerprints a result by environment and gate only: moving the evidence line keeps the alert', async () => {
    const before = results(render(reports)).find((r) => r.ruleId === 'security.cors') as Result;
    const dir = await copyEvidence('staging');
    const text = await readFile(join(dir, 'security.yaml'), 'utf8');
    await writeFile(
      join(dir, 'security.yaml'),
      text.replace(/^(kind: security)$/m, '# a comment that moves every line\n# down by two\n$1'),
    );
    const moved = buildReport(await evaluate('staging', dir));
    const after = results(render([moved]), 0).find((r) => r.ruleId === 'security.cors') as Result;
    expect(after.locations?.[0]?.physicalLocation?.region?.startLine).toBe(
      (before.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) + 2,
    );
    expect(after.partialFingerprints).toEqual(before.partialFingerprints);
  });

  it('anchors missing evidence at line 1 of the release file, never at a folder', async () => {
    const dir = await copyEvidence('prod');
    await rm(join(dir, 'security.yaml'));
    // The anchor kind is the pack's release-owner kind (pack.json evidenceKinds), as evaluate passes it.
    const log = render([buildReport(await evaluate('prod', dir))], { anchorKind: 'release' });
    const missing = results(log, 0).filter(
      (r) => r.properties?.['status'] !== undefined && r.ruleId?.startsWith('security.'),
    );
    expect(missing.length).toBeGreaterThan(0);
    for (const r of missing) expect(where(r), r.ruleId).toMatch(/^[^:]+\/release\.yaml:1:1$/);
  });

  it('takes the evidence folder from the options', () => {
    const list = results(
      render(reports, { evidenceDir: (env: string) => `deploy/${env}/evidence/` }),
    );
    expect(list.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)[0]).toBe(
      'deploy/staging/evidence/security.yaml',
    );
  });

  it('keeps waived gates as accepted suppressions with the approver and expiry', async () => {
    const list = results(render([await waivedStagingReport()]), 0);
    const open = list.filter((r) => !r.suppressions?.length).map((r) => r.ruleId);
    expect(open).toEqual([
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]);
    const suppressed = list.filter((r) => r.suppressions?.length);
    expect(suppressed.map((r) => r.ruleId).sort()).toEqual([
      'runbook.known-issues',
      'security.cors',
    ]);
    for (const r of suppressed) {
      expect(r.suppressions?.[0]?.kind).toBe('external');
      expect(r.suppressions?.[0]?.status).toBeUndefined(); // accepted by default (SARIF §3.35.3)
      expect(r.suppressions?.[0]?.justification).toMatch(/^waived by .+ until \d{4}-\d{2}-\d{2}: /);
    }
  });

  it('points erroring gates and the schema error at the invalid line', async () => {
    const broken = await brokenProdReport();
    const list = results(render([broken]), 0);
    const diagnostic = broken.diagnostics[0];
    if (!diagnostic) throw new Error('the broken report has no diagnostic');
    const at = `evidence/prod/security.yaml:${diagnostic.line}:${diagnostic.column}`;
    const schemaError = list.find((r) => r.ruleId === 'evidence/schema-violation');
    expect(schemaError && where(schemaError)).toBe(at);
    const erroring = list.filter((r) => r.properties?.['status'] === 'error');
    expect(erroring.map((r) => r.ruleId)).toContain('security.cors');
    for (const r of erroring) expect(where(r), r.ruleId).toBe(at);
    expect(erroring.length).toBe(
      broken.gates.filter(
        (g) => g.status === 'error' && g.reasons.some((x) => x.code !== 'child-status'),
      ).length,
    );
  });

  it('records the commit as versionControlProvenance when the report knows it', () => {
    const staging = structuredClone(reports[1] as Report);
    staging.provenance = {
      ...staging.provenance,
      ci: {
        provider: 'github-actions',
        commit: 'a'.repeat(40),
        repository: 'todox/todox',
        ref: 'refs/heads/main',
        runUrl: 'https://github.com/todox/todox/actions/runs/1',
      },
    };
    const run = render([staging]).runs[0] as Run;
    expect(run.versionControlProvenance).toEqual([
      {
        repositoryUri: 'https://github.com/todox/todox',
        revisionId: 'a'.repeat(40),
        branch: 'refs/heads/main',
      },
    ]);
    expect(render(reports).runs[1]?.versionControlProvenance).toBeUndefined();
  });

  it('is byte-identical for the same reports', () => {
    expect(renderSarif(reports, gates)).toBe(
      renderSarif(structuredClone(reports), structuredClone(gates)),
    );
  });
});

describe('SARIF within GitHub code-scanning limits', () => {
  /** A staging report with `n` failing gates of their own (and their rules). */
  function many(n: number, env = 'staging'): { report: Report; gates: GateMeta[] } {
    const base = reports[1] as Report;
    const failing = base.gates.find((g) => g.id === 'security.cors') as Report['gates'][number];
    const list = Array.from({ length: n }, (_, i) => ({
      ...failing,
      id: `bulk.g${i}`,
      severity: i % 3 === 0 ? 'critical' : 'medium',
    }));
    const metas = list.map((g) => ({
      ...(gates.find((x) => x.id === 'security.cors') as GateMeta),
      id: g.id,
      severity: g.severity,
      section: 'bulk',
    }));
    return { report: { ...base, environment: env, gates: list }, gates: metas };
  }

  it('cuts a run of 30,000 failing gates to what GitHub stores, the most severe first, with a note result and a warning', () => {
    const { report, gates: metas } = many(30_000);
    const { log, warnings } = sarifLog([report], metas);
    const text = sarifText(log);
    expect(githubIngestionProblems(log, text)).toEqual([]);
    // The schema check on a sample of the results and the note (all of them take ajv ~15 s; the shape is the same).
    const run = log.runs[0] as Run;
    const sample: Log = {
      ...log,
      runs: [
        {
          ...run,
          tool: { driver: { ...run.tool.driver, rules: run.tool.driver.rules?.slice(0, 50) } },
          results: [...(run.results ?? []).slice(0, 50), ...(run.results ?? []).slice(-1)].map(
            ({ ruleIndex: _i, ...r }) => r,
          ),
        },
      ],
    };
    expect(validate(sample), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const list = results(log, 0);
    expect(list.length).toBeLessThanOrEqual(SARIF_LIMITS.resultsPerRun);
    const note = list.at(-1) as Result;
    expect(note.ruleId).toBe('prodgate/sarif-limit');
    expect(note.message.text).toMatch(/\d+ of 30000 results are not in this SARIF file/);
    expect(warnings.join('\n')).toMatch(/staging: \d+ of 30000 results left out/);
    // Critical gates (level error) are kept before medium ones (warning).
    const kept = list.slice(0, -1);
    expect(kept.every((r) => r.level === 'error')).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SARIF_LIMITS.fileBytes);
  });

  it('leaves out environments past 20 runs, with a warning, and cuts results past 100 locations', () => {
    const list = Array.from({ length: 22 }, (_, i) => ({
      ...(reports[1] as Report),
      environment: `env${i}`,
    }));
    const { log, warnings } = sarifLog(list, gates);
    expect(log.runs).toHaveLength(20);
    expect(warnings[0]).toMatch(/2 environment\(s\) left out \(env20, env21\)/);
    expect(githubIngestionProblems(log, sarifText(log))).toEqual([]);
    const fitted = fitSarifToLimits(
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'prodgate', rules: [{ id: 'r' }] } },
            results: [
              {
                ruleId: 'r',
                message: { text: 'm' },
                locations: Array.from({ length: 1500 }, () => ({
                  physicalLocation: {
                    artifactLocation: { uri: 'a.yaml' },
                    region: { startLine: 1 },
                  },
                })),
              },
            ],
          },
        ],
      },
      [{ environment: 'x', anchor: { uri: 'a.yaml', line: 1 } }],
    );
    expect(fitted.log.runs[0]?.results?.[0]?.locations).toHaveLength(
      SARIF_LIMITS.locationsPerResult,
    );
  });

  it('the ingestion check fails on what GitHub refuses', () => {
    const { report, gates: metas } = many(3);
    const log = sarifLog([report], metas).log;
    const bad = structuredClone(log);
    const result = bad.runs[0]?.results?.[0] as Result;
    result.locations = [{ physicalLocation: { artifactLocation: { uri: 'evidence/staging' } } }];
    expect(githubIngestionProblems(bad, JSON.stringify(bad))).toEqual([
      'run 0 result 0 (bulk.g0): GH1003 no region.startLine',
    ]);
  });
});
