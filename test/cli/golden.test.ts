// The committed outputs/ are golden files: evaluating again must reproduce them byte for byte,
// whatever the output folder, the number of runs, the working directory or the path style.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  ENVS,
  makeTmp,
  REPO_ROOT,
  reportName,
  runCli,
  type Env,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

async function outputsOf(outDir: string, env: Env): Promise<{ md: Buffer; json: Buffer }> {
  return {
    md: await readFile(join(outDir, checklistName(env))),
    json: await readFile(join(outDir, reportName(env))),
  };
}

function expectSameBytes(actual: Buffer, expected: Buffer, what: string): void {
  // Compare as text first for a readable diff, then as bytes.
  expect(actual.toString('utf8'), what).toBe(expected.toString('utf8'));
  expect(actual.equals(expected), what).toBe(true);
}

describe.each(ENVS)('golden outputs for %s', (env) => {
  it('evaluating into a fresh folder reproduces the committed outputs byte for byte', async () => {
    const outDir = await makeTmp(`prodgate-golden-${env}-`);
    const run = await runCli(['evaluate', '--env', env, '--as-of', AS_OF, '--out', outDir]);
    expect(run.exitCode, run.stderr).toBe(env === 'staging' ? 1 : 0);
    const golden = await outputsOf(join(REPO_ROOT, 'outputs'), env);
    const fresh = await outputsOf(outDir, env);
    expectSameBytes(fresh.md, golden.md, checklistName(env));
    expectSameBytes(fresh.json, golden.json, reportName(env));
  });

  it('gives identical bytes when run twice, from another cwd, and with absolute or relative paths', async () => {
    const common = ['evaluate', '--env', env, '--as-of', AS_OF];
    const evidenceAbs = join(REPO_ROOT, 'evidence', env);
    const [first, second, absolute, elsewhere, relativeElsewhere] = await Promise.all([
      makeTmp('prodgate-run1-'),
      makeTmp('prodgate-run2-'),
      makeTmp('prodgate-abs-'),
      makeTmp('prodgate-cwd-'),
      makeTmp('prodgate-rel-'),
    ]);
    const runs = await Promise.all([
      runCli([...common, '--out', first]),
      runCli([...common, '--out', second]),
      runCli([...common, '--evidence', evidenceAbs, '--repo-root', REPO_ROOT, '--out', absolute]),
      // from an unrelated folder: everything is given as an absolute path
      runCli([...common, '--evidence', evidenceAbs, '--repo-root', REPO_ROOT, '--out', elsewhere], {
        cwd: elsewhere,
      }),
      // from inside evidence/: relative evidence folder and repository root
      runCli(
        [
          ...common,
          '--evidence',
          env,
          '--repo-root',
          '..',
          '--out',
          relative(join(REPO_ROOT, 'evidence'), relativeElsewhere),
        ],
        {
          cwd: join(REPO_ROOT, 'evidence'),
        },
      ),
    ]);
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(env === 'staging' ? 1 : 0);
    const reference = await outputsOf(first, env);
    for (const dir of [second, absolute, elsewhere, relativeElsewhere]) {
      const other = await outputsOf(dir, env);
      expectSameBytes(other.md, reference.md, `${dir}/${checklistName(env)}`);
      expectSameBytes(other.json, reference.json, `${dir}/${reportName(env)}`);
    }
  });
});

describe('outputs depend on their inputs', () => {
  it('a different as-of date changes the outputs (the golden test can fail)', async () => {
    const outDir = await makeTmp('prodgate-asof-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      '2026-11-26',
      '--out',
      outDir,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const golden = await outputsOf(join(REPO_ROOT, 'outputs'), 'prod');
    const fresh = await outputsOf(outDir, 'prod');
    expect(fresh.md.equals(golden.md)).toBe(false);
    expect(fresh.json.toString('utf8').replace(/2026-11-26/g, AS_OF)).toBe(
      golden.json.toString('utf8'),
    );
  });
});
