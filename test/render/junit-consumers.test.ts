// Issue 15: the JUnit file `evaluate --format junit` writes, read by real consumers from
// npm rather than by our own parser: junit2json (Kesin11/ts-junit2json, which loads JUnit
// into BigQuery and reads the XML with xml2js, as dorny/test-reporter does) and
// test-results-parser (the parser of the testbeats CI reporter, on fast-xml-parser). Each
// must see the suites, the counts, the failing gates and the skip reasons that the
// report holds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as junit2json } from 'junit2json';
import { parse as parseTestResults } from 'test-results-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingCounts } from '../../src/render/formats/shared.ts';
import { AS_OF, cleanupTmp, makeTmp, runCli, type Report } from '../support/helpers.ts';

afterAll(cleanupTmp);

const ENVS = ['pilot', 'staging', 'prod'] as const;
let junitPath: string;
let xml: string;
let reports: Report[];

beforeAll(async () => {
  const out = await makeTmp('prodgate-junit-consumers-');
  const run = await runCli([
    'evaluate',
    '--env',
    'all',
    '--as-of',
    AS_OF,
    '--no-ci-context',
    '--format',
    'junit',
    '--out',
    out,
  ]);
  expect(run.exitCode, run.stderr).toBe(1); // staging is NO-GO
  junitPath = join(out, 'P4_PROD_READINESS_JUNIT_all.xml');
  xml = await readFile(junitPath, 'utf8');
  reports = await Promise.all(
    ENVS.map(
      async (env) =>
        JSON.parse(
          await readFile(join(out, `P4_PROD_READINESS_REPORT_${env}.json`), 'utf8'),
        ) as Report,
    ),
  );
}, 120_000);

const gateOfCase = (name: string): string => name.split(':')[0] ?? '';
const failingGates = (report: Report): string[] =>
  report.gates.filter((g) => g.status === 'fail' || g.status === 'error').map((g) => g.id);

/** Failing gates, less a parent that fails only through its items (counted once, at them). */
const failingOnTheirOwn = (report: Report): string[] => {
  const failing = failingGates(report);
  return failing.filter((id) => !failing.some((other) => other.startsWith(`${id}.`)));
};

describe('junit2json reads our JUnit as the report says', () => {
  it('one suite per environment, with counts that match its test cases and the report', async () => {
    const parsed = await junit2json(xml);
    if (!parsed || !('testsuite' in parsed)) throw new Error('no <testsuites> root');
    const suites = parsed.testsuite ?? [];
    expect(suites.map((s) => s.name)).toEqual(ENVS.map((env) => `prodgate ${env}`));
    let failures = 0;
    suites.forEach((suite, i) => {
      const report = reports[i] as Report;
      const cases = suite.testcase ?? [];
      const counted = findingCounts(report.gates);
      expect(suite.tests).toBe(cases.length);
      expect(suite.failures).toBe(cases.filter((c) => c.failure).length);
      expect(suite.failures).toBe(counted.fail);
      expect(suite.errors).toBe(cases.filter((c) => c.error).length);
      expect(suite.skipped).toBe(cases.filter((c) => c.skipped).length);
      expect(suite.skipped).toBe(report.counts.na);
      failures += counted.fail;
    });
    expect(parsed.failures).toBe(failures);
    expect(parsed.tests).toBe(suites.reduce((n, s) => n + (s.testcase?.length ?? 0), 0));
  });

  it('fails the failing gates with their reasons, and gives each skip its reason as element text (GitLab reads only that)', async () => {
    const parsed = await junit2json(xml);
    if (!parsed || !('testsuite' in parsed)) throw new Error('no <testsuites> root');
    const staging = parsed.testsuite?.[1];
    const failing = (staging?.testcase ?? []).filter((c) => c.failure);
    expect(failing.map((c) => gateOfCase(c.name ?? ''))).toEqual(
      failingOnTheirOwn(reports[1] as Report),
    );
    expect(failing.length).toBe(4);
    const cors = failing.find((c) => gateOfCase(c.name ?? '') === 'security.cors');
    expect(cors?.failure?.[0]?.inner).toMatch(/wildcard origin together with allowCredentials/);
    expect(cors?.file).toBe('evidence/staging/security.yaml');
    for (const suite of parsed.testsuite ?? []) {
      for (const skipped of (suite.testcase ?? []).filter((c) => c.skipped)) {
        expect(skipped.skipped?.[0]?.inner, skipped.name).toMatch(/^not applicable: \S/);
      }
    }
  });
});

describe('test-results-parser (testbeats) reads our JUnit as the report says', () => {
  it('the same pass, fail and skip of every gate, per environment and in total', () => {
    const result = parseTestResults({ type: 'junit', files: [junitPath] });
    expect(result.suites.map((s) => s.name)).toEqual(ENVS.map((env) => `prodgate ${env}`));
    let failed = 0;
    let skipped = 0;
    result.suites.forEach((suite, i) => {
      const report = reports[i] as Report;
      const counted = findingCounts(report.gates);
      expect(suite.failed).toBe(counted.fail);
      expect(suite.skipped).toBe(report.counts.na);
      expect(suite.status).toBe(report.verdict === 'GO' ? 'PASS' : 'FAIL');
      const statusOf = new Map(suite.cases.map((c) => [gateOfCase(c.name), c.status]));
      for (const gate of report.gates) {
        if (gate.status === 'na') expect(statusOf.get(gate.id), gate.id).toBe('SKIP');
        if (gate.status === 'pass') expect(statusOf.get(gate.id), gate.id).toBe('PASS');
      }
      expect(suite.cases.filter((c) => c.status === 'FAIL').map((c) => gateOfCase(c.name))).toEqual(
        failingOnTheirOwn(report),
      );
      failed += counted.fail;
      skipped += report.counts.na;
    });
    expect(result.failed).toBe(failed);
    expect(result.skipped).toBe(skipped);
    expect(result.status).toBe('FAIL');
  });
});
