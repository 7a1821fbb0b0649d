// Paths given on the command line are shown escaped for a terminal or CI log, a path that
// is not UTF-8 is named as such, and an output folder that cannot be made is a one-line
// --out error (attack on issue 10: control characters and `::error::` printed raw,
// "internal error: ENOTDIR", and a hang under /proc).
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLI,
  cleanupTmp,
  copyEvidence,
  makeTmp,
  REPO_ROOT,
  runCli,
  STACK_TRACE,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

const HOSTILE = [
  '::error::forged',
  '\u001b[31mred',
  'bell\u0007',
  'line\nbreak',
  '##vso[task.complete]',
];
/** Nothing a terminal or CI runner would act on: no control character, no workflow command. */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f]|(^|\n)::|##vso\[/;

describe('paths from the command line are shown escaped', () => {
  for (const hostile of HOSTILE) {
    it(`evaluate --evidence and --out holding ${JSON.stringify(hostile)}`, async () => {
      const root = await makeTmp();
      const evidence = join(root, `ev-${hostile}`);
      await cp(await copyEvidence('prod'), evidence, { recursive: true });
      const run = await runCli([
        'evaluate',
        '--env',
        'prod',
        '--as-of',
        '2026-11-25',
        '--no-ci-context',
        '--evidence',
        evidence,
        '--out',
        join(root, `out-${hostile}`),
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/wrote /);
      const lines = (run.stdout + run.stderr)
        .split('\n')
        .filter((l) => l.includes('ev-') || l.includes('out-'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).not.toMatch(ACTIVE);
      expect(run.stdout + run.stderr).not.toMatch(ACTIVE);
    });

    it(`init --out holding ${JSON.stringify(hostile)}`, async () => {
      const root = await makeTmp();
      const run = await runCli(['init', '--env', 'prod', '--out', join(root, `init-${hostile}`)]);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/wrote 8 starter evidence file/);
      expect(run.stdout + run.stderr).not.toMatch(ACTIVE);
    });

    it(`a missing --evidence folder holding ${JSON.stringify(hostile)}`, async () => {
      const run = await runCli([
        'validate',
        '--env',
        'prod',
        '--evidence',
        join(await makeTmp(), `missing-${hostile}`),
      ]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stdout + run.stderr).not.toMatch(ACTIVE);
    });
  }

  it('new pack in a folder whose name holds a workflow command and an escape', async () => {
    const root = await makeTmp();
    const run = await runCli(
      ['new', 'pack', join(root, '::error::x\u001b'), '--name', 'ok-pack', '--env', 'prod'],
      { cwd: root },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/started pack in/);
    expect(run.stdout + run.stderr).not.toMatch(ACTIVE);
  });
});

describe('an --evidence path that is not UTF-8', () => {
  it('is reported as a bad name, not as a missing folder', async () => {
    const root = await makeTmp();
    const latin1 = Buffer.concat([
      Buffer.from(`${root}/topolog`),
      Buffer.from([0xed]),
      Buffer.from('a'),
    ]);
    // the argument as bytes, as a shell passes a Latin-1 name; execa takes only strings
    await execa('bash', ['-c', `mkdir "$(printf '%s\\355a' "$1/topolog")"`, 'bash', root]);
    await cp(await copyEvidence('prod'), latin1.toString('latin1'), { recursive: true }).catch(
      () => undefined,
    );
    const run = await execa(
      'bash',
      [
        '-c',
        `node "$1" validate --env prod --evidence "$(printf '%s\\355a' "$2/topolog")"`,
        'bash',
        CLI,
        root,
      ],
      { reject: false, cwd: REPO_ROOT },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^prodgate: evidence folder .*topolog\ufffda cannot be read: its name is not valid UTF-8/,
    );
    expect(run.stderr).not.toMatch(/ENOENT|no such file/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('an --out folder that cannot be made is a one-line --out error', () => {
  it('shown on one line, escaped, whatever the folder name holds', async () => {
    const run = await execa(
      'node',
      [
        CLI,
        'evaluate',
        '--env',
        'prod',
        '--no-ci-context',
        '--out',
        '/etc/passwd/x\n::error::forged\u001b',
      ],
      { reject: false, cwd: REPO_ROOT, timeout: 60_000 },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(ACTIVE);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['under a file', async () => '/etc/passwd/x', /a file is in the way of a folder/],
    ['under /proc (Node mkdir -p loops there)', async () => '/proc/prodgate-x', /ENOENT/],
    ['a file', async () => '/etc/passwd', /it is a file, not a folder/],
  ];
  for (const [name, out, problem] of cases) {
    it(name, async () => {
      const dir = await out();
      const run = await execa(
        'node',
        [CLI, 'evaluate', '--env', 'prod', '--no-ci-context', '--out', dir],
        { reject: false, cwd: REPO_ROOT, timeout: 60_000 },
      );
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^prodgate: --out ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write the outputs there: `,
        ),
      );
      expect(lines[0]).toMatch(problem);
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    });
  }
});
