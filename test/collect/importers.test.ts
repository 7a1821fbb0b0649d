import { describe, expect, it } from 'vitest';
import { IMPORTERS, recogniseFormat } from '../../src/collect/registry.js';
import { collect, errors, sample, scan, statusCounts, tests } from '../support/collect.js';

describe('every importer declares its meta', () => {
  it.each(IMPORTERS.map((i) => [i.meta.format, i]))('%s', (_, importer) => {
    expect(importer.meta.title).not.toBe('');
    expect(importer.meta.recognisedBy).not.toBe('');
    expect(importer.meta.yields.length).toBeGreaterThan(0);
    expect(importer.meta.dialects.length).toBeGreaterThan(0);
  });
});

describe('format recognition from the content', () => {
  it.each([
    ['junit/vitest-junit.xml', 'junit'],
    ['junit/mocha-junit.xml', 'junit'],
    ['junit/gotestsum-junit.xml', 'junit'],
    ['junit/python-xunit-pytest.xml', 'junit'],
    ['secret-scan/gitleaks-webapp.junit.xml', 'junit'],
    ['ctrf/vitest-ctrf-report.json', 'ctrf'],
    ['ctrf/mocha-ctrf-report.json', 'ctrf'],
    ['sarif/eslint-dashboard.sarif', 'sarif'],
    ['sarif/gosec-legacyapi.sarif', 'sarif'],
    ['sarif/staticcheck-legacyapi.sarif', 'sarif'],
    ['secret-scan/gitleaks-webapp.sarif', 'sarif'],
    ['secret-scan/gitleaks-webapp.json', 'gitleaks'],
    ['secret-scan/gitleaks-clean.json', 'gitleaks'],
  ])('%s is %s', (path, format) => {
    expect(recogniseFormat(sample(path))?.meta.format).toBe(format);
  });

  it('a gitleaks CSV report is no known format', () => {
    const result = collect(sample('secret-scan/gitleaks-webapp.csv'));
    expect(errors(result)).toEqual(['unknown-format']);
    expect(result.facts).toBeUndefined();
  });
});

describe('JUnit dialects', () => {
  it('vitest: 18 cases, skipped and failed kept, tags from names', () => {
    const facts = tests(sample('junit/vitest-junit.xml'));
    expect(statusCounts(facts.cases)).toEqual({ passed: 11, failed: 4, skipped: 3 });
    expect(facts.date).toBe('2026-11-29');
    const tagged = facts.cases.filter((c) => c.tags.includes('org-iso:embeddings'));
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.map((c) => c.status)).toContain('skipped');
    const first = tagged[0];
    expect(first?.line).toBeGreaterThan(1);
    expect(first?.column).toBeGreaterThan(1);
  });

  it('vitest 5,000 cases: counts as the tool reported', () => {
    expect(statusCounts(tests(sample('junit/vitest-junit-5000.xml')).cases)).toEqual({
      passed: 4993,
      failed: 4,
      skipped: 3,
    });
  });

  it('mocha-junit-reporter: tags in suite names reach their cases; a hook counted without a case is a warning', () => {
    const result = collect(sample('junit/mocha-junit.xml'));
    expect(errors(result)).toEqual([]);
    expect(
      result.problems.some((p) => p.severity === 'warning' && p.code === 'counter-mismatch'),
    ).toBe(true);
    const facts = tests(sample('junit/mocha-junit.xml'));
    expect(statusCounts(facts.cases)).toEqual({ passed: 7, failed: 3, skipped: 2 });
    expect(facts.cases.filter((c) => c.tags.includes('org-iso:payments')).length).toBeGreaterThan(
      0,
    );
  });

  it('gotestsum with --rerun-fails: a test that failed then passed is not a pass; reruns are one test', () => {
    const facts = tests(sample('junit/gotestsum-junit.xml'));
    const split = facts.cases.filter((c) => c.name === 'TestSplitUnderContention');
    expect(split).toHaveLength(1);
    expect(split[0]?.status).toBe('failed');
    expect(split[0]?.reported).toBe(2);
    const logistics = facts.cases.filter((c) => c.tags.includes('org-iso:logistics'));
    expect(logistics.length).toBeGreaterThan(0);
    expect(
      facts.cases.every(
        (c) => c.status !== 'passed' || c.reported === 1 || c.name !== 'TestSplitUnderContention',
      ),
    ).toBe(true);
  });

  it('pytest: xfail is skipped, record_property is kept, subtests counted by tests= are a warning', () => {
    const result = collect(sample('junit/python-xunit-pytest.xml'));
    expect(errors(result)).toEqual([]);
    const facts = tests(sample('junit/python-xunit-pytest.xml'));
    expect(facts.cases.find((c) => c.name === 'test_expected_failure')?.status).toBe('skipped');
    expect(
      facts.cases.find((c) => c.name === 'test_with_record_property')?.properties['example_key'],
    ).toBe('1');
    expect(facts.cases.find((c) => c.name === 'test_always_pass')?.properties['custom_prop']).toBe(
      'custom_val',
    );
    expect(facts.cases.find((c) => c.name === 'test_parameterized[param1]')?.tags).toEqual([]);
    expect(facts.date).toBe('2025-11-15');
  });

  it('gitleaks JUnit: every finding a failed case', () => {
    expect(statusCounts(tests(sample('secret-scan/gitleaks-webapp.junit.xml')).cases)).toEqual({
      failed: 8,
    });
  });

  it('Maven Surefire: flakyFailure is flaky, rerunFailure is failed; revision from a property', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.IsolationIT" tests="3" failures="1" errors="0" skipped="0" timestamp="2026-11-18T09:00:00">
  <properties><property name="git.commit" value="3F9C2A7E5B1D4C8A9E0F6B2D7C1A5E3F8B4D9C0A"/></properties>
  <testcase name="rejectsForeignOrg" classname="com.example.IsolationIT" time="0.1"/>
  <testcase name="flakyOnce" classname="com.example.IsolationIT" time="0.1"><flakyFailure message="boom" type="java.lang.AssertionError"/></testcase>
  <testcase name="alwaysFails" classname="com.example.IsolationIT" time="0.1"><failure message="x"/><rerunFailure message="x"/></testcase>
</testsuite>`;
    const facts = tests(xml);
    expect(facts.cases.map((c) => c.status)).toEqual(['passed', 'flaky', 'failed']);
    expect(facts.revision).toBe('3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a');
    expect(facts.date).toBe('2026-11-18');
  });

  it('Playwright and jest-junit: tags from a tag property and from suites', () => {
    const xml = `<testsuites id="" name="" tests="2" failures="0" skipped="1" errors="0" time="1.2">
<testsuite name="isolation.spec.ts" timestamp="2026-11-18T10:00:00.000Z" hostname="api" tests="2" failures="0" skipped="1" time="1" errors="0">
<testcase name="rejects foreign org" classname="isolation.spec.ts" time="0.5"><properties><property name="tag" value="org-iso:embeddings"/></properties></testcase>
<testcase name="[org-iso:meeting-prep] citations" classname="isolation.spec.ts" time="0"><skipped/></testcase>
</testsuite></testsuites>`;
    const facts = tests(xml);
    expect(facts.cases[0]?.tags).toEqual(['org-iso:embeddings']);
    expect(facts.cases[1]).toMatchObject({ tags: ['org-iso:meeting-prep'], status: 'skipped' });
  });
});

describe('CTRF', () => {
  it('vitest CTRF: flaky test is flaky, not passed', () => {
    const facts = tests(sample('ctrf/vitest-ctrf-report.json'));
    expect(facts.tool.name).toBe('vitest');
    expect(statusCounts(facts.cases)).toEqual({ passed: 10, failed: 3, skipped: 3, flaky: 1 });
    expect(facts.cases.find((c) => c.status === 'flaky')?.tags).toContain('org-iso:embeddings');
  });

  it('mocha CTRF: pending is not a pass', () => {
    const facts = tests(sample('ctrf/mocha-ctrf-report.json'));
    expect(statusCounts(facts.cases)).toEqual({ passed: 6, failed: 3, skipped: 2, flaky: 1 });
  });

  it('environment.commit is the revision', () => {
    const report = JSON.parse(sample('ctrf/vitest-ctrf-report.json')) as {
      results: { environment: Record<string, string> };
    };
    report.results.environment['commit'] = '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a';
    expect(tests(JSON.stringify(report)).revision).toBe('3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a');
  });
});

describe('SARIF', () => {
  it('ESLint: an inSource suppression without status accepted leaves the result open', () => {
    const facts = scan(sample('sarif/eslint-dashboard.sarif'));
    expect(facts.findings).toHaveLength(13);
    const suppressed = facts.findings.filter((f) => f.suppression !== 'none');
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]?.open).toBe(true);
    expect(facts.executionSuccessful).toBe(false);
  });

  it('gosec (keys sorted, version last) and staticcheck (invocations) read', () => {
    expect(scan(sample('sarif/gosec-legacyapi.sarif')).findings).toHaveLength(20);
    const staticcheck = scan(sample('sarif/staticcheck-legacyapi.sarif'));
    expect(staticcheck).toMatchObject({
      executionSuccessful: true,
      tool: { name: 'Staticcheck', version: '2026.2.2' },
    });
    expect(staticcheck.findings).toHaveLength(3);
  });

  it('gitleaks SARIF: 8 open findings; the clean one shows no execution', () => {
    expect(
      scan(sample('secret-scan/gitleaks-webapp.sarif')).findings.filter((f) => f.open),
    ).toHaveLength(8);
    expect(scan(sample('secret-scan/gitleaks-clean.sarif'))).toMatchObject({
      findings: [],
      executionSuccessful: false,
      tool: { name: 'gitleaks' },
    });
  });
});

describe('gitleaks JSON', () => {
  it('8 findings, each open, located in the report', () => {
    const facts = scan(sample('secret-scan/gitleaks-webapp.json'));
    expect(facts.findings).toHaveLength(8);
    expect(facts.findings.every((f) => f.open && f.line > 1)).toBe(true);
  });

  it('an empty report does not show that the scan ran', () => {
    expect(scan(sample('secret-scan/gitleaks-clean.json'))).toMatchObject({
      findings: [],
      executionSuccessful: false,
    });
  });
});
