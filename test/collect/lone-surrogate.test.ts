// Issue 12: a JSON artifact that spells a lone surrogate (`"\ud800"`, an escape with no
// partner: not Unicode text, which OPA cannot read) is a located problem of that artifact
// (line, column, JSON pointer), never a run that cannot evaluate (exit 2). `collect` says
// it is invalid (exit 1); in `evaluate` the gates that read it are `error`, located.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invalidUtf8Offset } from '../../src/collect/read-artifact.ts';
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

describe('a lone surrogate written as UTF-8 bytes (CESU-8: ED A0 80), not as an escape', () => {
  it('is not valid UTF-8, located at its line and column: collect exits 1', async () => {
    const text = await readFile(join(FIXTURES, 'secret-scan/gitleaks-webapp.sarif'), 'utf8');
    const at = text.indexOf('"name": "gitleaks"') + '"name": "gitleaks'.length;
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from(text.slice(at)),
    ]);
    const file = join(await makeTmp('prodgate-surrogate-'), 'cesu.sarif');
    await writeFile(file, bytes);
    const run = await runCli(['collect', file]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const [problem] = (JSON.parse(run.stdout) as Collected).problems;
    expect(problem?.message).toMatch(
      new RegExp(
        `not valid UTF-8 at byte ${Buffer.byteLength(text.slice(0, at))} \\(a lone UTF-16 surrogate`,
      ),
    );
    const before = text.slice(0, at).split('\n');
    expect([problem?.line, problem?.column]).toEqual([
      before.length,
      (before.at(-1) as string).length + 1,
    ]);
  });

  it('invalidUtf8Offset agrees with a fatal TextDecoder on every kind of byte sequence', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const valid = (bytes: Uint8Array): boolean => {
      try {
        decoder.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    // Every 1- and 2-byte sequence, and 3- and 4-byte ones around each boundary of table 3-7.
    const cases: number[][] = [];
    for (let a = 0; a < 256; a++) {
      cases.push([a]);
      for (let b = 0; b < 256; b += 1) cases.push([a, b]);
    }
    const edges = [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
    for (const lead of [0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5])
      for (const b of edges)
        for (const c of edges) {
          cases.push([lead, b, c]);
          for (const d of [0x7f, 0x80, 0xbf, 0xc0]) cases.push([lead, b, c, d]);
        }
    const disagreements = cases.filter((bytes) => {
      const array = Uint8Array.from([0x61, ...bytes, 0x62]);
      return (invalidUtf8Offset(array) === -1) !== valid(array);
    });
    expect(disagreements.map((b) => b.map((x) => x.toString(16)).join(' '))).toEqual([]);
    expect(cases.length).toBeGreaterThan(65_000);
  });
});
