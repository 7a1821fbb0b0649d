// What a new user runs in the first hour must not surprise: links resolve from any
// folder, the README's command leaves committed files alone, and every mistake is one
// line with exit 2 and a hint.
import { execa } from 'execa';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../support/outputs.ts';
import { AS_OF, cleanupTmp, makeTmp, REPO_ROOT, runCli, STACK_TRACE } from '../support/helpers.ts';

afterAll(cleanupTmp);

/** One line on stderr, naming the problem, no stack trace. */
function expectOneLine(run: { stderr: string }, pattern: RegExp): void {
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(STACK_TRACE);
}

/** A git repository holding a copy of the shipped evidence (links resolve inside it). */
async function exampleRepo(): Promise<string> {
  const root = await makeTmp('prodgate-repo-');
  await cp(join(REPO_ROOT, 'evidence'), join(root, 'evidence'), { recursive: true });
  await cp(join(REPO_ROOT, 'outputs'), join(root, 'outputs'), { recursive: true });
  await execa('git', ['init', '-q'], { cwd: root });
  return root;
}

describe('links resolve against the repository that holds the evidence', () => {
  it('evaluating from inside evidence/ gives the same GO as from the top', async () => {
    const out = await makeTmp();
    const run = await runCli(
      ['evaluate', '--env', 'prod', '--evidence', 'prod', '--as-of', AS_OF, '--out', out],
      { cwd: join(REPO_ROOT, 'evidence') },
    );
    expect(run.stdout).not.toMatch(/no such file/);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^prod \(as of 2026-11-25\): GO/);
  });

  it('in another repository, from a sub-folder, links resolve at its git top level', async () => {
    const root = await exampleRepo();
    await mkdir(join(root, 'deep', 'er'), { recursive: true });
    const run = await runCli(
      [
        'evaluate',
        '--env',
        'prod',
        '--evidence',
        '../../evidence/prod',
        '--as-of',
        AS_OF,
        '--out',
        await makeTmp(),
      ],
      { cwd: join(root, 'deep', 'er') },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const explain = await runCli(
      ['explain', 'runbook.primary', '--env', 'prod', '--evidence', 'prod', '--as-of', AS_OF],
      { cwd: join(root, 'evidence') },
    );
    expect(explain.stdout).toMatch(/PASS/);
  });
});

describe("a user's run never modifies committed files", () => {
  it("the README's command writes to prodgate-out/, not to the committed outputs/", async () => {
    const root = await exampleRepo();
    const before = await readFile(join(root, 'outputs', 'P4_PROD_READINESS_REPORT_prod.json'));
    const run = await runCli(['evaluate', '--env', 'prod', '--as-of', '2026-11-26'], { cwd: root });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await readFile(join(root, 'outputs', 'P4_PROD_READINESS_REPORT_prod.json'))).toEqual(
      before,
    );
    expect(await readdir(join(root, 'prodgate-out'))).toEqual(
      expect.arrayContaining([
        'P4_PROD_READINESS_REPORT_prod.json',
        'P4_PROD_READINESS_CHECKLIST_prod.md',
      ]),
    );
    expect(run.stdout).toMatch(/wrote 2 file\(s\) to prodgate-out: /);
  });

  it('an unsigned run removes the attestation of an earlier signed one, so verify passes', async () => {
    const key = await generateKeyPair();
    const out = await makeTmp();
    const common = ['evaluate', '--env', 'prod', '--as-of', AS_OF, '--out', out];
    expect((await runCli([...common, '--sign-key', key.privatePath])).exitCode).toBe(0);
    expect(await readdir(out)).toContain('P4_PROD_READINESS_ATTESTATION_prod.dsse.json');
    expect((await runCli([...common, '--as-of', '2026-11-26'])).exitCode).toBe(0);
    expect(await readdir(out)).not.toContain('P4_PROD_READINESS_ATTESTATION_prod.dsse.json');
    const verify = await runCli(['verify', join(out, 'P4_PROD_READINESS_REPORT_prod.json')]);
    expect(verify.exitCode, verify.stdout).toBe(0);
  });
});

describe('mistakes are one line, exit 2', () => {
  it('--out that cannot be written names --out and why', async () => {
    const dir = await makeTmp();
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    for (const [out, why] of [
      [file, /it is a file, not a folder/],
      [join(file, 'sub'), /a file is in the way of a folder/],
    ] as const) {
      const run = await runCli(['evaluate', '--env', 'prod', '--as-of', AS_OF, '--out', out]);
      expect(run.exitCode).toBe(2);
      expectOneLine(
        run,
        new RegExp(
          `^prodgate: --out ${out.replace(/[/.]/g, '\\$&')}: cannot write the outputs there: ${why.source}\\n$`,
        ),
      );
    }
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('verify of a file that is not a report says what to give, and recognises an attestation', async () => {
    const key = await generateKeyPair();
    const out = await makeTmp();
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--sign-key',
      key.privatePath,
    ]);
    const attestation = await runCli([
      'verify',
      join(out, 'P4_PROD_READINESS_ATTESTATION_prod.dsse.json'),
      '--key',
      key.publicPath,
    ]);
    expect(attestation.exitCode).toBe(2);
    expectOneLine(
      attestation,
      /is a DSSE attestation, not a report: give the P4_PROD_READINESS_REPORT_<env>\.json that evaluate wrote/,
    );
    for (const other of [
      join(out, 'P4_PROD_READINESS_CHECKLIST_prod.md'),
      join(REPO_ROOT, 'package.json'),
    ]) {
      const run = await runCli(['verify', other]);
      expect(run.exitCode, other).toBe(2);
      expectOneLine(
        run,
        /is not a prodgate report .*: give the P4_PROD_READINESS_REPORT_<env>\.json/,
      );
    }
  });

  it('a reader that closes the pipe early (| head) gets no stack trace, and the verdict as exit code', async () => {
    const cli = join(REPO_ROOT, 'dist/cli/main.js');
    const script = `node "${cli}" evaluate --env staging --as-of ${AS_OF} --out "${await makeTmp()}" --stdout json | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const run = await execa('bash', ['-c', script], { cwd: REPO_ROOT, reject: false });
    expect(run.stderr.trim()).toBe('exit=1');
  });

  it('explain of an unknown gate suggests the nearest ids', async () => {
    const run = await runCli(['explain', 'security.cros', '--env', 'prod', '--as-of', AS_OF]);
    expect(run.exitCode).toBe(2);
    expectOneLine(run, /^prodgate: unknown gate "security\.cros"; did you mean security\.cors/);
  });

  it('a missing --env is the same one line on evaluate, validate and explain', async () => {
    for (const args of [['evaluate'], ['validate'], ['explain', 'security.cors']]) {
      const run = await runCli(args);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expectOneLine(run, /^prodgate: --env is required: use one of pilot, staging, prod/);
    }
  });
});

describe('--help', () => {
  it('lists the exit codes on every command, and the formats where there are formats', async () => {
    const commands = [
      ['evaluate'],
      ['validate'],
      ['explain'],
      ['build'],
      ['verify'],
      ['diff'],
      ['test'],
      ['lint'],
      ['new', 'pack'],
      ['new', 'gate'],
      ['init'],
    ];
    for (const command of commands) {
      const run = await runCli([...command, '--help']);
      expect(run.exitCode, command.join(' ')).toBe(0);
      expect(run.stdout, command.join(' ')).toMatch(/Exit codes:\n {2}0 .+\n {2}1 .+\n {2}2 .+/);
    }
    const evaluate = await runCli(['evaluate', '--help']);
    for (const name of [
      'text',
      'json',
      'markdown',
      'junit',
      'sarif',
      'github',
      'azuredevops',
      'codequality',
      'tap',
      'table',
      'html',
    ])
      expect(evaluate.stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    expect(evaluate.stdout).toContain('P4_PROD_READINESS_SARIF_<env>.sarif');
  });
});
