// tap, table, azuredevops and codequality, read back as their consumers read them, with
// the same counts as the text summary, JUnit, SARIF and the GitHub annotations.
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateMeta } from '../../src/pack/catalog.ts';
import {
  escapeData,
  escapeProperty,
  logIssue,
  azureDevopsFormat,
  renderAzureDevops,
} from '../../src/render/formats/azuredevops.ts';
import {
  codeQualityFormat,
  renderCodeQuality,
  type CodeQualityIssue,
} from '../../src/render/formats/codequality.ts';
import { forStdout } from '../../src/render/formats/index.ts';
import { junitFormat } from '../../src/render/formats/junit.ts';
import { githubFormat, renderGithub } from '../../src/render/formats/github.ts';
import { renderJunit } from '../../src/render/formats/junit.ts';
import { sarifFormat, sarifLog } from '../../src/render/formats/sarif.ts';
import { findingCounts } from '../../src/render/formats/shared.ts';
import { renderTable } from '../../src/render/formats/table.ts';
import { renderTap } from '../../src/render/formats/tap.ts';
import type { Report } from '../../src/render/report.ts';
import { cleanupTmp } from '../support/helpers.ts';
import {
  brokenProdReport,
  exampleReports,
  shippedPack,
  waivedStagingReport,
} from '../support/pipeline.ts';

let reports: Report[];
let gates: GateMeta[];
beforeAll(async () => {
  [reports, gates] = await Promise.all([exampleReports(), shippedPack().then((p) => p.gates)]);
});
afterAll(cleanupTmp);

interface TapPoint {
  ok: boolean;
  n: number;
  description: string;
  directive?: 'SKIP' | 'TODO';
  yaml?: Record<string, unknown>;
}

/** A TAP 14 reader: the plan, the test points, their directives and YAML blocks. */
function parseTap(text: string): { plan: number; points: TapPoint[] } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('TAP version 14');
  const plan = Number(/^1\.\.(\d+)$/.exec(lines[1] ?? '')?.[1]);
  const points: TapPoint[] = [];
  for (let i = 2; i < lines.length; i++) {
    const m = /^(not ok|ok) (\d+) - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(lines[i] ?? '');
    if (!m) continue;
    const point: TapPoint = {
      ok: m[1] === 'ok',
      n: Number(m[2]),
      description: m[3] ?? '',
      ...(m[4] ? { directive: m[4] as 'SKIP' | 'TODO' } : {}),
    };
    if (lines[i + 1] === '  ---') {
      const end = lines.indexOf('  ...', i + 1);
      point.yaml = yaml.load(
        lines
          .slice(i + 2, end)
          .map((l) => l.slice(2))
          .join('\n'),
      ) as Record<string, unknown>;
      i = end;
    }
    points.push(point);
  }
  return { plan, points };
}

/** Failures a TAP consumer counts: not ok without a TODO directive. */
const tapFailures = (points: TapPoint[]): TapPoint[] =>
  points.filter((p) => !p.ok && p.directive !== 'TODO');

describe('the same counts in every format', () => {
  it('text, JUnit, SARIF, GitHub, Azure DevOps, TAP, table and Code Quality count staging’s failures alike', () => {
    const staging = [reports[1] as Report];
    const counted = findingCounts((reports[1] as Report).gates);
    expect(counted).toMatchObject({ fail: 4, error: 0, waived: 1, throughItems: 1 });
    const junitFailures = Number(
      /<testsuites [^>]*failures="(\d+)"/.exec(renderJunit(staging, gates))?.[1],
    );
    const sarifOpen = sarifLog(staging, gates).log.runs[0]?.results?.filter(
      (r) => !r.suppressions?.length,
    ).length;
    const github = renderGithub(staging, gates)
      .split('\n')
      .filter((l) => l.startsWith('::error ')).length;
    const azure = renderAzureDevops(staging, gates)
      .split('\n')
      .filter((l) => l.startsWith('##vso[task.logissue type=error;')).length;
    const tap = tapFailures(parseTap(renderTap(staging, gates)).points).length;
    const table = renderTable(staging, gates)
      .split('\n')
      .filter((l) => /^\| staging +\| FAIL /.test(l)).length;
    const codequality = (JSON.parse(renderCodeQuality(staging, gates)) as CodeQualityIssue[])
      .length;
    expect({ junitFailures, sarifOpen, github, azure, tap, table, codequality }).toEqual({
      junitFailures: 4,
      sarifOpen: 4,
      github: 4,
      azure: 4,
      tap: 4,
      table: 4,
      codequality: 4,
    });
  });
});

describe('renderTap', () => {
  it('has a plan that matches its test points, and a YAML block a YAML parser reads for each failure', () => {
    const { plan, points } = parseTap(renderTap(reports, gates));
    expect(points.map((p) => p.n)).toEqual(Array.from({ length: plan }, (_, i) => i + 1));
    expect(plan).toBe(reports.reduce((n, r) => n + r.gates.length + 1, 0));
    const cors = points.find((p) => p.description.startsWith('staging security.cors:')) as TapPoint;
    expect(cors.ok).toBe(false);
    expect(cors.yaml?.['severity']).toBe('fail');
    expect((cors.yaml?.['data'] as Record<string, string> | undefined)?.['at']).toBe(
      'evidence/staging/security.yaml:25:7',
    );
    expect(
      points.find((p) => p.description.startsWith('staging tenancy.isolation:'))?.directive,
    ).toBe('SKIP');
    expect(points.find((p) => p.description.startsWith('pilot signoff.security:'))?.directive).toBe(
      'SKIP',
    );
  });

  it('marks a waived gate TODO (a known failure) with its waiver, and escapes # in descriptions', async () => {
    const { points } = parseTap(renderTap([await waivedStagingReport()], gates));
    const cors = points.find((p) => p.description.startsWith('staging security.cors:')) as TapPoint;
    expect(cors).toMatchObject({ ok: false, directive: 'TODO' });
    const hostile = structuredClone(reports[1] as Report);
    (hostile.gates[0] as Report['gates'][number]).title = 'title # SKIP not really\nok 99 - forged';
    const text = renderTap([hostile], gates);
    expect(text).not.toMatch(/^ok 99/m);
    expect(text).toContain('title \\# SKIP not really ok 99 - forged');
  });
});

describe('renderTable', () => {
  it('lists every gate that is not a pass, with where it rests, and a count line per environment', async () => {
    const text = renderTable([await waivedStagingReport()], gates);
    const rows = text.split('\n').filter((l) => l.startsWith('| staging'));
    expect(rows.map((r) => r.split('|')[2]?.trim())).toEqual([
      'WAIVED',
      'FAIL',
      'FAIL',
      'FAIL',
      'N/A',
      'N/A',
      'WAIVED',
    ]);
    // the skipped isolation test is recorded: it rests on the JUnit report, at the test's line
    expect(text).toMatch(/\| evidence\/staging\/artifacts\/release-tests\.junit\.xml:8 +\|/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'staging: NO-GO — 3 fail, 0 error, 2 waived, 46 pass, 2 n/a (and 1 parent gate failing through these)',
    );
    // Every row of the table is as wide as its rules.
    const widths = new Set(
      text
        .split('\n')
        .filter((l) => /^[|+]/.test(l))
        .map((l) => [...l].length),
    );
    expect(widths.size).toBe(1);
  });

  it('shows only the n/a rows of a GO environment, and nothing but the count when all pass', () => {
    const text = renderTable([reports[2] as Report], gates);
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('| prod'))
        .map((r) => r.split('|')[2]?.trim()),
    ).toEqual(['N/A', 'N/A', 'N/A', 'N/A']);
    const allPass = structuredClone(reports[2] as Report);
    allPass.gates = allPass.gates.filter((g) => g.status === 'pass');
    expect(renderTable([allPass], gates)).toBe(
      'prod: GO — 0 fail, 0 error, 0 waived, 50 pass, 0 n/a\n',
    );
  });
});

describe('renderAzureDevops', () => {
  /** The agent's side (azure-pipelines-agent CommandStringConvertor): unescape a property or the message. */
  const unescapeProperty = (s: string): string =>
    s
      .replace(/%3B/g, ';')
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%5D/g, ']')
      .replace(/%AZP25/g, '%');

  it('logs each failing item of staging as an error issue at its file and line, with the gate id as code', () => {
    const lines = renderAzureDevops(reports, gates).split('\n');
    const issues = lines.filter((l) => l.startsWith('##vso['));
    expect(issues).toHaveLength(5);
    const m = /^##vso\[task\.logissue ([^\]]*)\](.*)$/.exec(issues[0] ?? '');
    const props = Object.fromEntries(
      (m?.[1] ?? '')
        .split(';')
        .map((kv) => [
          kv.slice(0, kv.indexOf('=')),
          unescapeProperty(kv.slice(kv.indexOf('=') + 1)),
        ]),
    );
    expect(props).toEqual({
      type: 'error',
      sourcepath: 'evidence/staging/security.yaml',
      linenumber: '25',
      columnnumber: '7',
      code: 'security.cors',
    });
    expect(lines.filter((l) => l.startsWith('##[group]'))).toEqual([
      '##[group]prodgate pilot',
      '##[group]prodgate staging',
      '##[group]prodgate prod',
    ]);
  });

  it('keeps a hostile message one command: no line break, no second ##vso, no early ] or ;', () => {
    const hostile = 'x]; y\n##vso[task.setvariable variable=GO]true\r%AZP25';
    const line = logIssue('error', { sourcepath: hostile }, hostile);
    expect(line.split('\n')).toHaveLength(1);
    expect(line.match(/##vso\[/g)).toHaveLength(1);
    const m = /^##vso\[task\.logissue type=error;sourcepath=([^;\]]*)\](.*)$/.exec(line);
    expect(m).not.toBeNull();
    expect(unescapeProperty(m?.[2] ?? '')).toBe(
      'x]; y\n# #vso[task.setvariable variable=GO]true\r%AZP25',
    );
    expect(escapeData('100%')).toBe('100%AZP25');
    expect(escapeProperty('a;b]c')).toBe('a%3Bb%5Dc');
  });
});

describe('renderCodeQuality', () => {
  it('is a Code Quality report GitLab reads: path, begin line, severity, a stable fingerprint', async () => {
    const issues = JSON.parse(renderCodeQuality(reports, gates)) as CodeQualityIssue[];
    expect(issues.map((i) => i.check_name)).toEqual([
      'security.cors',
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual([
        'check_name',
        'description',
        'fingerprint',
        'location',
        'severity',
      ]);
      expect(issue.location.path).toMatch(
        /^evidence\/staging\/(\w+\.yaml|artifacts\/[\w.-]+|config\/[\w.-]+)$/,
      );
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue.severity);
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(issues[0]?.severity).toBe('critical');
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(renderCodeQuality([reports[2] as Report], gates)).toBe('[]\n');
    // Evidence errors are issues at their line; waived gates are not issues.
    const broken = JSON.parse(
      renderCodeQuality([await brokenProdReport()], gates),
    ) as CodeQualityIssue[];
    expect(
      broken.some(
        (i) => i.check_name === 'evidence/schema-violation' && i.location.lines.begin > 1,
      ),
    ).toBe(true);
    const waived = JSON.parse(
      renderCodeQuality([await waivedStagingReport()], gates),
    ) as CodeQualityIssue[];
    expect(waived.map((i) => i.check_name)).toEqual([
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]);
  });
});

// Attack report 11, hole 4: evidence text reached stdout raw in the CI formats. A
// waiver justification (and a failing reason) carrying line breaks, forged workflow
// commands, ANSI, bidi controls, U+2028/U+2029 and NEL, rendered by every CI format:
// none of those characters reaches the output raw, and no forged command gets a line.
describe('hostile evidence text in every CI format', () => {
  const forged =
    'x\n::error file=a.ts::FORGED1\r##vso[task.setvariable variable=GO]true\u2028::error::FORGED2\u2029::warning::F3\u0085::error::FORGED4 \u001b[8mHIDDEN\u001b[0m \u202eRTL \u0007\u009b';
  // Raw C0 (but LF, which separates lines of the format itself), DEL, C1, bidi and separators.
  const RAW =
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
  let hostile: Report;
  beforeAll(async () => {
    hostile = await waivedStagingReport();
    const waived = hostile.gates.find((g) => g.waiver && g.status === 'waived');
    const failing = hostile.gates.find((g) => g.status === 'fail');
    if (!waived?.waiver || !failing) throw new Error('no waived or failing gate');
    waived.waiver.justification = forged;
    failing.reasons = [{ code: 'violation', message: forged, evidence: [] }];
  });

  it('github: escaped before encoding, every line one of prodgate’s own commands', () => {
    const out = renderGithub([hostile], gates);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('FORGED1');
    expect(out).toContain('\\u202eRTL');
    expect(out).toContain('\\u001b[8mHIDDEN');
    for (const line of out.trimEnd().split('\n'))
      expect(line).toMatch(/^(::(group|endgroup|error|warning|notice)[ :]|prodgate staging: )/);
    expect(out.split('\n').filter((l) => l.includes('FORGED1')).length).toBe(2);
    expect(out).not.toMatch(/^::error file=a\.ts/m);
    expect(out).not.toMatch(/##vso\[/);
    expect(out).toContain('#\\#vso[task.setvariable');
    expect(forStdout(githubFormat, out)).not.toMatch(RAW);
  });

  it('azuredevops: escaped before encoding, no forged ##vso and no raw control', () => {
    const out = renderAzureDevops([hostile], gates);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('\\u202eRTL');
    expect(out.match(/##vso\[/g)?.length).toBe(
      out.split('\n').filter((l) => l.startsWith('##vso[task.logissue ')).length,
    );
    expect(out).not.toMatch(/##vso\[task\.setvariable/);
    const waivedLine = out.split('\n').find((l) => l.startsWith('prodgate staging: WAIVED'));
    expect(waivedLine).toContain('x ::error file=a.ts::FORGED1 # #vso[task.setvariable');
    expect(waivedLine).toContain('true\\u2028::error::FORGED2\\u2029');
    expect(forStdout(azureDevopsFormat, out)).not.toMatch(RAW);
  });

  it('codequality and sarif: JSON whose message text holds visible escapes, not controls', () => {
    const issues = JSON.parse(renderCodeQuality([hostile], gates)) as CodeQualityIssue[];
    const described = issues.map((i) => i.description).join('\n');
    expect(described).toContain('FORGED1');
    expect(described).not.toMatch(RAW);
    for (const issue of issues) expect(issue.description).not.toContain('\n');
    const { log } = sarifLog([hostile], gates);
    const messages = (log.runs[0]?.results ?? []).map((r) => r.message.text ?? '').join('\n');
    expect(messages).toContain('FORGED1');
    expect(messages).not.toMatch(RAW);
    for (const format of [codeQualityFormat, sarifFormat])
      expect(
        forStdout(format, format === sarifFormat ? JSON.stringify(log) : JSON.stringify(issues)),
      ).not.toMatch(RAW);
  });

  it('junit on stdout: no raw control, no command opener even before XML decoding', () => {
    const out = forStdout(junitFormat, renderJunit([hostile], gates));
    expect(out).not.toMatch(RAW);
    expect(out).not.toMatch(/##vso\[|^\s*::/m);
  });
});
