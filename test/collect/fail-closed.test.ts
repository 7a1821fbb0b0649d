import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFile } from '../../src/collect/collect-file.js';
import { resolveArtifactLimits } from '../../src/collect/limits.js';
import { collect, errors, sample, scan, tests } from '../support/collect.js';

const suite = (attrs: string, cases: string): string =>
  `<?xml version="1.0"?>\n<testsuites>\n<testsuite name="s" ${attrs}>\n${cases}\n</testsuite>\n</testsuites>\n`;

describe('fail-closed test semantics', () => {
  it('skipped, pending-style and flaky are never passed', () => {
    const facts = tests(
      suite(
        'tests="3"',
        '<testcase name="a"><skipped/></testcase><testcase name="b"><skipped message="todo"/></testcase><testcase name="c"><flakyError/></testcase>',
      ),
    );
    expect(facts.cases.map((c) => c.status)).toEqual(['skipped', 'skipped', 'flaky']);
  });

  it('the same test twice: the worse result wins, located at the worse one', () => {
    const facts = tests(
      suite(
        'tests="2" failures="1"',
        '<testcase classname="k" name="t"/>\n<testcase classname="k" name="t"><failure/></testcase>',
      ),
    );
    expect(facts.cases).toHaveLength(1);
    expect(facts.cases[0]).toMatchObject({ status: 'failed', reported: 2, line: 5 });
    const reversed = tests(
      suite(
        'tests="2" failures="1"',
        '<testcase classname="k" name="t"><failure/></testcase>\n<testcase classname="k" name="t"/>',
      ),
    );
    expect(reversed.cases[0]).toMatchObject({ status: 'failed', line: 4 });
  });

  it('suite counters that disagree with the cases are an error', () => {
    expect(
      errors(collect(suite('tests="2" failures="1"', '<testcase name="a"/><testcase name="b"/>'))),
    ).toEqual(['counter-mismatch']);
    expect(errors(collect(suite('tests="1"', '<testcase name="a"/><testcase name="b"/>')))).toEqual(
      ['counter-mismatch'],
    );
    expect(
      errors(
        collect(
          suite(
            'tests="2" skipped="0"',
            '<testcase name="a"/><testcase name="b"><skipped/></testcase>',
          ),
        ),
      ),
    ).toEqual(['counter-mismatch']);
    expect(errors(collect(suite('tests="two"', '<testcase name="a"/>')))).toEqual([
      'counter-mismatch',
    ]);
  });

  it('CTRF summary counters that disagree with the tests are an error', () => {
    const report = JSON.parse(sample('ctrf/mocha-ctrf-report.json')) as {
      results: { summary: Record<string, number> };
    };
    report.results.summary['failed'] = 0;
    expect(errors(collect(JSON.stringify(report)))).toEqual(['counter-mismatch']);
  });

  it('two revisions in one report are an error', () => {
    const xml = `<testsuites><testsuite name="a" tests="0"><properties><property name="revision" value="aaaaaaa1"/></properties></testsuite><testsuite name="b" tests="0"><properties><property name="commit" value="bbbbbbb2"/></properties></testsuite></testsuites>`;
    expect(errors(collect(xml))).toEqual(['revision-conflict']);
  });
});

describe('SARIF suppressions', () => {
  const log = (suppressions: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'scanner', version: '1.0' } },
          results: [{ ruleId: 'r1', suppressions, ...extra }],
        },
      ],
    });

  it('only an accepted suppression closes a result', () => {
    expect(scan(log([{ kind: 'external', status: 'accepted' }])).findings[0]).toMatchObject({
      open: false,
      suppression: 'accepted',
    });
    expect(scan(log([{ kind: 'external', status: 'underReview' }])).findings[0]?.open).toBe(true);
    expect(scan(log([{ kind: 'external', status: 'rejected' }])).findings[0]?.open).toBe(true);
    expect(scan(log([{ kind: 'inSource' }])).findings[0]).toMatchObject({
      open: true,
      suppression: 'unknown',
    });
    expect(
      scan(
        log([
          { kind: 'inSource', status: 'accepted' },
          { kind: 'external', status: 'rejected' },
        ]),
      ).findings[0]?.open,
    ).toBe(true);
  });

  it('kind pass and a result absent from the baseline are not findings', () => {
    expect(scan(log([], { kind: 'pass' })).findings).toEqual([]);
    expect(scan(log([], { baselineState: 'absent' })).findings).toEqual([]);
  });

  it('execution is shown only by successful invocations of every run', () => {
    const ran = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'gitleaks', semanticVersion: '8.30.1' } },
          invocations: [{ executionSuccessful: true, endTimeUtc: '2026-11-19T08:00:00Z' }],
          versionControlProvenance: [
            {
              repositoryUri: 'https://example.com/r.git',
              revisionId: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
            },
          ],
          results: [],
        },
      ],
    };
    expect(scan(JSON.stringify(ran))).toMatchObject({
      executionSuccessful: true,
      revision: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
      date: '2026-11-19',
      tool: { name: 'gitleaks', version: '8.30.1' },
    });
    const failed = structuredClone(ran);
    (failed.runs[0] as { invocations: { executionSuccessful: boolean }[] })
      .invocations[0]!.executionSuccessful = false;
    expect(scan(JSON.stringify(failed)).executionSuccessful).toBe(false);
  });

  it('a log that breaks the fields read is a located schema violation', () => {
    const result = collect(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          { tool: { driver: { name: 'x' } }, results: [{ suppressions: [{ kind: 'bogus' }] }] },
        ],
      }),
      'sarif',
    );
    expect(errors(result)).toEqual(['schema-violation']);
    expect(result.problems[0]?.pointer).toBe('/runs/0/results/0/suppressions/0/kind');
  });
});

describe('hostile artifacts', () => {
  it('a DOCTYPE is refused, with or without entity declarations', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<testsuites><testsuite name="&xxe;"/></testsuites>`;
    const result = collect(xxe, 'junit');
    expect(errors(result)).toEqual(['refused-markup']);
    expect(result.problems[0]?.line).toBe(2);
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<testsuites/>`;
    expect(errors(collect(laughs, 'junit'))).toEqual(['refused-markup']);
    expect(errors(collect('<!DOCTYPE testsuites>\n<testsuites/>', 'junit'))).toEqual([
      'refused-markup',
    ]);
  });

  it('an undefined entity is a located parse error', () => {
    const result = collect('<testsuites>\n<testsuite name="&undefined;"/></testsuites>', 'junit');
    expect(errors(result)).toEqual(['parse-error']);
    expect(result.problems[0]?.line).toBe(2);
  });

  it('malformed XML is a located parse error, not a throw', () => {
    const result = collect(
      '<testsuites>\n<testsuite name="a">\n<testcase name="x">\n</testsuites>',
      'junit',
    );
    expect(errors(result)).toEqual(['parse-error']);
    expect(result.facts).toBeUndefined();
  });

  it('element, test-case, result and depth bounds', () => {
    const many = suite(
      '',
      Array.from({ length: 50 }, (_, i) => `<testcase name="t${i}"/>`).join(''),
    );
    expect(errors(collect(many, 'junit', { maxTestCases: 10 }))).toEqual(['limit-exceeded']);
    expect(errors(collect(many, 'junit', { maxArtifactNodes: 20 }))).toEqual(['limit-exceeded']);
    const deep = `<testsuites>${'<testsuite>'.repeat(100)}${'</testsuite>'.repeat(100)}</testsuites>`;
    expect(errors(collect(deep, 'junit'))).toEqual(['limit-exceeded']);
    const results = JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x' } },
          results: Array.from({ length: 20 }, () => ({ ruleId: 'r' })),
        },
      ],
    });
    expect(errors(collect(results, 'sarif', { maxResults: 5 }))).toEqual(['limit-exceeded']);
    const findings = JSON.stringify(
      Array.from({ length: 20 }, () => ({
        RuleID: 'r',
        File: 'f',
        StartLine: 1,
        Fingerprint: 'x',
      })),
    );
    expect(errors(collect(findings, 'gitleaks', { maxResults: 5 }))).toEqual(['limit-exceeded']);
  });

  it('duplicate JSON keys are refused (JSON.parse would keep the last)', () => {
    const text =
      '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","suppressions":[{"kind":"external","status":"rejected","status":"accepted"}]}]}]}';
    const result = collect(text, 'sarif');
    expect(errors(result)).toEqual(['parse-error']);
    expect(result.problems[0]?.message).toMatch(/duplicate/i);
  });
});

describe('reading artifact files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodgate-artifacts-'));
  const limits = resolveArtifactLimits();
  writeFileSync(
    join(dir, 'ok.xml'),
    '<testsuites><testsuite name="s" tests="1"><testcase name="t"/></testsuite></testsuites>',
  );
  mkdirSync(join(dir, 'evidence'));
  symlinkSync(join(dir, 'ok.xml'), join(dir, 'evidence', 'link.xml'));

  it('reads and digests a file', async () => {
    const read = await collectFile(join(dir, 'ok.xml'), limits);
    expect(read).toMatchObject({ valid: true, unreadable: false, format: 'junit' });
    expect(read.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a missing file is unreadable; a path out of the folder or a link out of it is refused', async () => {
    expect(await collectFile('nope.xml', limits, { root: dir })).toMatchObject({
      unreadable: true,
      valid: false,
    });
    expect(
      (await collectFile('../ok.xml', limits, { root: join(dir, 'evidence') })).problems[0]?.code,
    ).toBe('unsafe-path');
    expect(
      (await collectFile('link.xml', limits, { root: join(dir, 'evidence') })).problems[0]?.code,
    ).toBe('unsafe-path');
  });

  it('size bound, archives and non-UTF-8 are refused but digested', async () => {
    expect(
      (await collectFile(join(dir, 'ok.xml'), resolveArtifactLimits({ maxArtifactBytes: 10 })))
        .problems[0]?.code,
    ).toBe('limit-exceeded');
    writeFileSync(join(dir, 'a.zip'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    const zip = await collectFile(join(dir, 'a.zip'), limits);
    expect(zip).toMatchObject({ valid: false, unreadable: false });
    expect(zip.sha256).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(dir, 'bad.xml'), Buffer.from([0x3c, 0xff, 0xfe]));
    expect((await collectFile(join(dir, 'bad.xml'), limits)).problems[0]?.message).toMatch(/UTF-8/);
  });
});
