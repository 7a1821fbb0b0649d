// Issue 12: a JSON artifact that spells a lone surrogate (`"\ud800"`, an escape with no
// partner: not Unicode text, which OPA cannot read) is a located problem of that artifact
// (line, column, JSON pointer), never a run that cannot evaluate (exit 2). `collect` says
// it is invalid (exit 1); in `evaluate` the gates that read it are `error`, located.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  gateOf,
  makeTmp,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
  type Report,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

const FIXTURES = join(REPO_ROOT, 'test/fixtures/artifacts');

interface Collected {
  valid: boolean;
  problems: { code: string; message: string; line: number; column: number; pointer: string }[];
}

/** `text` with the first `from` replaced by `to`; fails when `from` is not there. */
function replaced(text: string, from: string, to: string): string {
  expect(text, `fixture lacks ${from}`).toContain(from);
  return text.replace(from, to);
}

describe('a lone surrogate in a JSON artifact', () => {
  it.each([
    [
      'a SARIF string',
      'secret-scan/gitleaks-webapp.sarif',
      '"name": "gitleaks"',
      '"name": "gitleaks\\ud800"',
    ],
    ['a CTRF key', 'ctrf/vitest-ctrf-report.json', '"tool": {', '"\\ud800x": 1, "tool": {'],
    ['a CTRF string', 'ctrf/vitest-ctrf-report.json', '"name": "', '"name": "\\udc00'],
    [
      'a gitleaks JSON string',
      'secret-scan/gitleaks-webapp.json',
      '"RuleID": "',
      '"RuleID": "\\ud83d',
    ],
  ])('in %s is a located problem: collect exits 1', async (_name, fixture, from, to) => {
    const source = join(FIXTURES, fixture);
    const text = replaced(await readFile(source, 'utf8'), from, to);
    const file = join(await makeTmp('prodgate-surrogate-'), fixture.split('/').at(-1) as string);
    await writeFile(file, text);
    const run = await runCli(['collect', file]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as Collected;
    expect(out.valid).toBe(false);
    const [problem] = out.problems;
    expect(problem?.message).toMatch(/lone surrogate .*U\+D[89A-F][0-9A-F]{2}/);
    // Located at the string itself: the line and column where it starts in the file.
    const offset = text.indexOf(to) + to.lastIndexOf('"', to.indexOf('\\u'));
    const before = text.slice(0, offset).split('\n');
    expect(problem?.line).toBe(before.length);
    expect(problem?.column).toBe((before.at(-1) as string).length + 1);
  });

  it('in the prod example SARIF: evaluate exits 1, the secret-scan gate is error, located at the artifact', async () => {
    const dir = await copyEvidence('prod');
    const sarif = join(dir, 'artifacts/gitleaks.sarif');
    await writeFile(
      sarif,
      replaced(await readFile(sarif, 'utf8'), '"name": "gitleaks"', '"name": "gitleaks\\ud800"'),
    );
    const out = await makeTmp('prodgate-out-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const report = JSON.parse(
      await readFile(join(out, 'P4_PROD_READINESS_REPORT_prod.json'), 'utf8'),
    ) as Report;
    const gate = gateOf(report, 'security.secrets');
    expect(gate.status).toBe('error');
    expect(JSON.stringify(gate.reasons)).toMatch(/lone surrogate/);
    expect(gate.reasons.flatMap((r) => r.evidence.map((e) => e.file))).toContain(
      'artifacts/gitleaks.sarif',
    );
  });
});
