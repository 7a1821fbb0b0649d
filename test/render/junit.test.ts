// renderJunit, read back as a CI test viewer reads it: parsed with fast-xml-parser.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { renderJunit } from '../../src/render/formats/junit.ts';
import { findingCounts } from '../../src/render/formats/shared.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp } from '../support/helpers.ts';
import {
  brokenProdReport,
  exampleReports,
  shippedPack,
  waivedStagingReport,
} from '../support/pipeline.ts';

interface Property {
  name?: string;
  value?: string;
}
interface Failure {
  '#text'?: string;
  message?: string;
  type?: string;
}
interface TestCase {
  name?: string;
  classname?: string;
  file?: string;
  line?: string;
  failure?: Failure;
  error?: Failure;
  skipped?: { message?: string; '#text'?: string } | string;
  properties?: { property: Property[] };
  'system-out'?: string;
}
interface Counts {
  name?: string;
  tests?: string;
  failures?: string;
  errors?: string;
  skipped?: string;
}
interface TestSuite extends Counts {
  properties: { property: Property[] };
  testcase: TestCase[];
}
interface Parsed {
  testsuites: Counts & { testsuite: TestSuite[] };
}

/** Parses JUnit XML as viewers do: attributes kept as strings, lists always arrays. */
function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Parsed;
}

let reports: Report[];
let gates: GateMeta[];
beforeAll(async () => {
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

const property = (props: Property[] | undefined, name: string): string | undefined =>
  props?.find((p) => p['name'] === name)?.['value'];
const gateId = (tc: TestCase): string => (tc['name'] ?? '').split(':')[0] ?? '';

describe('renderJunit on the three examples', () => {
  it('has one testsuite per environment and one testcase per gate, plus the evidence case', () => {
    const { testsuites } = parse(renderJunit(reports, gates));
    expect(testsuites.testsuite.map((s) => s['name'])).toEqual([
      'prodgate pilot',
      'prodgate staging',
      'prodgate prod',
    ]);
    testsuites.testsuite.forEach((suite, i) => {
      const report = reports[i] as Report;
      expect(suite.testcase.map(gateId)).toEqual([
        ...report.gates.map((g) => g.id),
        'evidence and evaluation',
      ]);
      expect(property(suite.properties.property, 'environment')).toBe(report.environment);
      expect(property(suite.properties.property, 'verdict')).toBe(report.verdict);
      expect(property(suite.properties.property, 'asOf')).toBe('2026-11-25');
    });
  });

  it('has counts that match the testcases, in every suite and in total', () => {
    const { testsuites } = parse(renderJunit(reports, gates));
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    testsuites.testsuite.forEach((suite, i) => {
      const c = (reports[i] as Report).counts;
      const cases = suite.testcase;
      expect(Number(suite['tests'])).toBe(cases.length);
      expect(Number(suite['failures'])).toBe(cases.filter((t) => t.failure).length);
      // The counts every format shows: a parent failing through its items is counted once, at them.
      const counted = findingCounts((reports[i] as Report).gates);
      expect(Number(suite['failures'])).toBe(counted.fail);
      expect(c.fail - counted.fail).toBe(counted.throughItems);
      expect(Number(suite['errors'])).toBe(cases.filter((t) => t.error).length);
      expect(Number(suite['skipped'])).toBe(cases.filter((t) => t.skipped !== undefined).length);
      expect(Number(suite['skipped'])).toBe(c.na);
      tests += cases.length;
      failures += counted.fail;
      skipped += c.na;
    });
    expect(testsuites['tests']).toBe(String(tests));
    expect(testsuites['failures']).toBe(String(failures));
    expect(testsuites['errors']).toBe('0');
    expect(testsuites['skipped']).toBe(String(skipped));
  });

  it('fails exactly staging’s failing gates, each with its reasons, file and line', () => {
    const staging = parse(renderJunit(reports, gates)).testsuites.testsuite[1] as TestSuite;
    const failing = staging.testcase.filter((t) => t.failure);
    expect(failing.map(gateId)).toEqual([
      'security.cors',
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]);
    // The parent is a test case without a failure of its own, saying why.
    const parent = staging.testcase.find((t) => gateId(t) === 'tenancy.isolation') as TestCase;
    expect(parent.failure ?? parent.error).toBeUndefined();
    expect(parent['system-out']).toMatch(/^FAIL through its items/);
    const cors = failing[0] as TestCase;
    expect(cors['classname']).toBe('prodgate.staging.security');
    expect(cors['file']).toBe('evidence/staging/security.yaml');
    expect(Number(cors['line'])).toBeGreaterThan(1);
    expect(cors.failure?.message).toContain(
      'a wildcard origin together with allowCredentials: true is never allowed',
    );
    expect(cors.failure?.['#text']).toMatch(
      /evidence\/staging\/security\.yaml:\d+:\d+ \/cors\/trustedOrigins\/1/,
    );
    expect(cors.failure?.['#text']).toContain('remediation: ');
    const pass = staging.testcase.find((t) => gateId(t) === 'release.metadata') as TestCase;
    expect(pass.failure ?? pass.error ?? pass.skipped ?? pass['file']).toBeUndefined();
  });

  it('skips n/a gates with their reason', () => {
    const pilot = parse(renderJunit(reports, gates)).testsuites.testsuite[0] as TestSuite;
    const security = pilot.testcase.find((t) => gateId(t) === 'signoff.security') as TestCase;
    expect(security.skipped).toMatchObject({ message: expect.stringMatching(/^not applicable: /) });
    // GitLab shows only the element's text as the reason.
    const skipped = security.skipped as { message?: string; '#text'?: string };
    expect(skipped['#text']).toBe(skipped.message);
  });

  it('is byte-identical for the same reports', () => {
    expect(renderJunit(reports, gates)).toBe(
      renderJunit(structuredClone(reports), structuredClone(gates)),
    );
  });
});

describe('renderJunit: waived, broken evidence, hostile text', () => {
  it('passes a waived gate and carries its approver and expiry as properties', async () => {
    const suite = parse(renderJunit([await waivedStagingReport()], gates)).testsuites
      .testsuite[0] as TestSuite;
    const cors = suite.testcase.find((t) => gateId(t) === 'security.cors') as TestCase;
    expect(cors.failure ?? cors.error).toBeUndefined();
    expect(property(cors.properties?.property, 'waiver.approver')).toBe('Sam Okafor');
    expect(property(cors.properties?.property, 'waiver.expires')).toBe('2026-12-31');
    expect(property(cors.properties?.property, 'waiver.ticket')).toBe(
      'https://tracker.example/SEC-1432',
    );
    expect(cors['system-out']).toMatch(/^WAIVED by Sam Okafor until 2026-12-31: /);
    expect(Number(suite['failures'])).toBe(3);
    expect(suite.testcase.filter((t) => t.failure).map(gateId)).toEqual([
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]);
  });

  it('errors the gates that read an invalid file and the evidence case, at the file and line', async () => {
    const suite = parse(renderJunit([await brokenProdReport()], gates)).testsuites
      .testsuite[0] as TestSuite;
    const errors = suite.testcase.filter((t) => t.error);
    expect(errors.length).toBe(Number(suite['errors']));
    const evidence = suite.testcase.at(-1) as TestCase;
    expect(evidence['name']).toBe('evidence and evaluation');
    expect(evidence.error?.['#text']).toMatch(/^problem: the evidence has 1 error\(s\)/);
    expect(evidence.error?.['#text']).toMatch(
      /evidence\/prod\/security\.yaml:\d+:\d+: error: unknown field "allowCredentialz" \(at \/cors\/allowCredentialz\) \[schema-violation\]/,
    );
    const cors = suite.testcase.find((t) => gateId(t) === 'security.cors') as TestCase;
    expect(cors.error).toBeDefined();
    expect(cors['file']).toBe('evidence/prod/security.yaml');
    expect(Number(cors['line'])).toBeGreaterThan(1);
  });

  it('escapes markup, quotes, line breaks and characters XML cannot carry', () => {
    const hostile = 'a <b>&amp; "q" \'s\' ]]> line1\nline2\ttab \u0001 end';
    const report = structuredClone(reports[1] as Report);
    const gate = report.gates.find((g) => g.id === 'security.cors');
    if (!gate) throw new Error('no security.cors');
    gate.title = hostile;
    gate.reasons = [{ code: 'violation', message: hostile, evidence: [] }];
    const suite = parse(renderJunit([report], gates)).testsuites.testsuite[0] as TestSuite;
    const cors = suite.testcase.find((t) => gateId(t) === 'security.cors') as TestCase;
    // Evidence text reads as written, on its line: a line break, a tab or a control
    // character inside it is a visible escape, never a new line or a raw control.
    const expected = 'a <b>&amp; "q" \'s\' ]]> line1\\nline2\\ttab \\u0001 end';
    // The test case's name is the gate's short title, whitespace already folded to spaces.
    expect(cors['name']).toBe(
      'security.cors: a <b>&amp; "q" \'s\' ]]> line1 line2 tab \\u0001 end',
    );
    expect(cors.failure?.message).toBe(expected);
    expect(cors.failure?.['#text']).toContain(`- ${expected}`);
  });

  it('keeps a hostile waiver justification and reason inert after XML decoding', async () => {
    const forged =
      'x\n::error file=a.ts::FORGED1\r##vso[task.setvariable variable=GO]true\u2028::error::FORGED2\u2029::warning::F3\u0085::error::FORGED4 \u001b[8mHIDDEN\u001b[0m \u202eRTL';
    const report = await waivedStagingReport();
    const waived = report.gates.find((g) => g.waiver && g.status === 'waived');
    const failing = report.gates.find((g) => g.status === 'fail');
    if (!waived?.waiver || !failing) throw new Error('no waived or failing gate');
    waived.waiver.justification = forged;
    failing.reasons = [{ code: 'violation', message: forged, evidence: [] }];
    const xml = renderJunit([report], gates);
    const suite = parse(xml).testsuites.testsuite[0] as TestSuite;
    const decoded: string[] = [];
    for (const tc of suite.testcase) {
      decoded.push(tc['name'] ?? '', tc['system-out'] ?? '');
      for (const el of [tc.failure, tc.error])
        if (el) decoded.push(el['#text'] ?? '', el.message ?? '');
      for (const p of tc.properties?.property ?? []) decoded.push(p.value ?? '');
    }
    const all = decoded.join('\n');
    expect(all).toContain('FORGED1');
    expect(all).toContain('\\u202eRTL');
    for (const line of all.split('\n')) expect(line).not.toMatch(/^\s*::/);
    expect(all).not.toMatch(/##vso\[/i);
    expect(all).not.toMatch(/::(error|warning)/);
    expect(all).not.toMatch(/[\r\u2028\u2029\u0085\u001b\u202e]/);
    const out = suite.testcase.find(
      (t) => t === suite.testcase.find((c) => gateId(c) === waived.id),
    );
    expect(out?.['system-out']?.split('\n')[0]).toMatch(
      /^WAIVED by .*: x\\n:\\:error file=a\.ts:\\:FORGED1\\r#\\#vso\[/,
    );
    expect(property(out?.properties?.property, 'waiver.justification')).not.toMatch(/::/);
  });
});
