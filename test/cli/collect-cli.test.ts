// `prodgate collect FILE [--format F]`: JSON on stdout; exit 0 read, 1 invalid, 2 unreadable.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTmp, makeTmp, runCli, STACK_TRACE } from '../support/helpers.ts';
import { SAMPLES } from '../support/collect.ts';

afterAll(cleanupTmp);

describe('prodgate collect', () => {
  it('prints the recognised format, the importer meta, the digest and located facts (exit 0)', async () => {
    const run = await runCli(['collect', join(SAMPLES, 'junit/vitest-junit.xml')]);
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as {
      format: string;
      sha256: string;
      valid: boolean;
      importer: { recognisedBy: string };
      facts: { cases: { line: number; status: string }[] };
    };
    expect(out).toMatchObject({ format: 'junit', valid: true });
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.importer.recognisedBy).toMatch(/testsuites/);
    expect(out.facts.cases).toHaveLength(18);
    expect(out.facts.cases.every((c) => c.line > 0)).toBe(true);
  });

  it('a test name holding workflow commands reaches stdout neutralised, and the same JSON value', async () => {
    const dir = await makeTmp('prodgate-collect-');
    const file = join(dir, 'forged.junit.xml');
    const name = '::error::forged ##vso[task.setvariable variable=X]true';
    await writeFile(
      file,
      `<?xml version="1.0"?>\n<testsuites><testsuite name="s" tests="1" failures="0" errors="0" skipped="0"><testcase name="${name}" classname="c"/></testsuite></testsuites>\n`,
    );
    const run = await runCli(['collect', file]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/::error::|##vso\[/);
    const out = JSON.parse(run.stdout) as { facts: { cases: { name: string }[] } };
    expect(out.facts.cases[0]?.name).toBe(name);
  });

  it('--format reads as the named format; an invalid artifact exits 1 with located problems', async () => {
    const dir = await makeTmp('prodgate-collect-');
    const file = join(dir, 'evil.xml');
    await writeFile(
      file,
      '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<testsuites/>',
    );
    const run = await runCli(['collect', file, '--format', 'junit']);
    expect(run.exitCode).toBe(1);
    const out = JSON.parse(run.stdout) as { problems: { code: string; line: number }[] };
    expect(out.problems[0]).toMatchObject({ code: 'refused-markup', line: 2 });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('an unrecognised artifact exits 1; a missing one exits 2; an unknown --format exits 2', async () => {
    expect(
      (await runCli(['collect', join(SAMPLES, 'secret-scan/gitleaks-webapp.csv')])).exitCode,
    ).toBe(1);
    expect((await runCli(['collect', join(SAMPLES, 'nope.xml')])).exitCode).toBe(2);
    const unknown = await runCli([
      'collect',
      join(SAMPLES, 'junit/vitest-junit.xml'),
      '--format',
      'tap',
    ]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).not.toMatch(STACK_TRACE);
  });

  it('evaluate and validate take the artifact limit flags: a bounded artifact makes its gates error', async () => {
    const out = await makeTmp('prodgate-collect-limits-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      '2026-11-25',
      '--out',
      out,
      '--no-ci-context',
      '--max-test-cases',
      '3',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /artifacts\/release-tests\.junit\.xml:\d+:\d+: error: more than 3 test cases \(max-test-cases\) \[limit-exceeded\]/,
    );
    expect(run.stdout).toMatch(/\n {2}ERROR {2}tenancy\.isolation\.embeddings: /);
    const validate = await runCli(['validate', '--env', 'prod', '--max-artifact-size', '100']);
    expect(validate.exitCode).toBe(1);
    expect(validate.stdout).toContain('max-artifact-size');
  });

  it('the limit flags bound the read', async () => {
    const run = await runCli([
      'collect',
      join(SAMPLES, 'junit/vitest-junit-5000.xml'),
      '--max-test-cases',
      '100',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('max-test-cases');
  });
});
