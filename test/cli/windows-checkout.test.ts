// Windows checkouts (issue 10, item 5): Git for Windows and Windows CI runners default to
// core.autocrlf=true, which checks text files out with CRLF line ends. The same evidence
// there must give the same verdict and verify. Two defences, each tested: the repository
// ships .gitattributes (text is LF in every checkout, so a real autocrlf clone is byte for
// byte the repository), and evidence digests read CRLF as LF (evidence a Windows editor
// wrote with CRLF digests as the LF text does).
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, textSha256 } from '../../src/core/digest.ts';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  makeTmp,
  readReport,
  REPO_ROOT,
  reportName,
  runCli,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

describe('a real `git clone -c core.autocrlf=true` of this repository', () => {
  let clone: string;

  beforeAll(async () => {
    const head = (await execa('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD'])).stdout.trim();
    clone = join(await makeTmp('prodgate-autocrlf-'), 'repo');
    await execa('git', [
      'clone',
      '--quiet',
      '--no-checkout',
      '-c',
      'core.autocrlf=true',
      REPO_ROOT,
      clone,
    ]);
    await execa('git', ['-C', clone, 'checkout', '--quiet', '--detach', head]);
  }, 120_000);

  it('checks text out with LF line ends: the evidence, the pack and the outputs are the committed bytes', async () => {
    expect((await execa('git', ['-C', clone, 'config', 'core.autocrlf'])).stdout.trim()).toBe(
      'true',
    );
    const { stdout } = await execa('git', ['-C', clone, 'ls-files', '--eol']);
    const withCrlf = stdout.split('\n').filter((line) => /\bw\/crlf\b|\bw\/mixed\b/.test(line));
    expect(withCrlf).toEqual([]);
    // every evidence file and every artifact (artifacts/..., artifacts/config/...)
    const filesUnder = async (dir: string): Promise<string[]> => {
      const entries = await readdir(join(clone, 'evidence/prod', dir), { withFileTypes: true });
      const nested = await Promise.all(
        entries.map(async (e) => {
          const name = dir ? `${dir}/${e.name}` : e.name;
          return e.isDirectory() ? filesUnder(name) : [name];
        }),
      );
      return nested.flat();
    };
    const names = await filesUnder('');
    expect(names).toContain('artifacts/config/alert-rules.yaml');
    for (const name of names) {
      const committed = (
        await execa('git', ['-C', clone, 'cat-file', 'blob', `HEAD:evidence/prod/${name}`], {
          encoding: 'buffer',
          stripFinalNewline: false,
        })
      ).stdout;
      expect(
        (await readFile(join(clone, 'evidence/prod', name))).equals(Buffer.from(committed)),
        name,
      ).toBe(true);
    }
  });

  it('gives the shipped GO example the same verdict and byte-identical report, and verify finds no difference', async () => {
    const out = await makeTmp('prodgate-autocrlf-out-');
    const evidence = join(clone, 'evidence/prod');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--pack',
      clone,
      '--evidence',
      evidence,
      '--repo-root',
      clone,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect((await readReport(out, 'prod')).verdict).toBe('GO');
    expect(await readFile(join(out, reportName('prod')), 'utf8')).toBe(
      await readFile(join(clone, 'outputs', reportName('prod')), 'utf8'),
    );

    const verify = await runCli([
      'verify',
      join(clone, 'outputs', reportName('prod')),
      '--pack',
      clone,
      '--evidence',
      evidence,
      '--repo-root',
      clone,
    ]);
    expect(verify.stdout + verify.stderr).not.toMatch(/DIFFERS/);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

describe('evidence with CRLF line ends (written on Windows) digests as its LF text', () => {
  it('CRLF pairs read as LF; a lone CR, a BOM or any other byte still changes the digest', () => {
    const lf = Buffer.from('kind: ops\nschemaVersion: 1\n');
    expect(textSha256(lf)).toBe(sha256(lf));
    expect(textSha256(lf)).toBe(createHash('sha256').update(lf).digest('hex'));
    expect(textSha256(Buffer.from('kind: ops\r\nschemaVersion: 1\r\n'))).toBe(sha256(lf));
    expect(textSha256(Buffer.from('kind: ops\r\nschemaVersion: 1\n'))).toBe(sha256(lf)); // mixed
    for (const other of [
      'kind: ops\rschemaVersion: 1\r',
      'kind: ops\r\r\nschemaVersion: 1\n',
      '\ufeffkind: ops\nschemaVersion: 1\n',
      'kind: ops \nschemaVersion: 1\n',
      'kind: ops\nschemaVersion: 1\r',
    ]) {
      expect(textSha256(Buffer.from(other)), JSON.stringify(other)).not.toBe(sha256(lf));
    }
  });

  it('the shipped GO example with every evidence file in CRLF: GO, and the committed report verifies against it', async () => {
    const dir = await copyEvidence('prod');
    // the evidence files (the artifacts in CRLF: the autocrlf checkout test below)
    for (const name of (await readdir(dir)).filter((n) => /\.(ya?ml|json)$/.test(n))) {
      const path = join(dir, name);
      await writeFile(path, (await readFile(path, 'utf8')).replace(/\n/g, '\r\n'));
    }
    const out = await makeTmp('prodgate-crlf-out-');
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
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = await readReport(out, 'prod');
    const committed = await readReport(join(REPO_ROOT, 'outputs'), 'prod');
    expect(report.verdict).toBe('GO');
    expect(report.evidence).toEqual(committed.evidence);

    const verify = await runCli([
      'verify',
      join(REPO_ROOT, 'outputs', reportName('prod')),
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.stdout + verify.stderr).not.toMatch(/DIFFERS/);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

// Issue 12: artifacts are text too. An evidence repository without .gitattributes, cloned
// with core.autocrlf=true, holds its JUnit and SARIF reports with CRLF line ends; they
// digest as their LF text (textSha256), so the verdict, the sign-offs bound to the
// artifacts and verify are those of the LF checkout.
describe('artifacts in a real core.autocrlf=true checkout without .gitattributes', () => {
  it('digest as their LF text: GO, the committed digests, and the committed report verifies', async () => {
    const root = await makeTmp('prodgate-crlf-artifacts-');
    const origin = join(root, 'origin');
    await cp(join(REPO_ROOT, 'evidence/prod'), join(origin, 'evidence/prod'), { recursive: true });
    const git = (cwd: string, args: string[]) =>
      execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd });
    await git(origin, ['init', '--quiet']);
    await git(origin, ['add', '.']);
    await git(origin, ['commit', '--quiet', '-m', 'evidence']);
    const clone = join(root, 'clone');
    await execa('git', ['clone', '--quiet', '-c', 'core.autocrlf=true', origin, clone]);
    const evidence = join(clone, 'evidence/prod');
    // every artifact file, the configuration files under artifacts/config/ too
    const artifacts = (
      await readdir(join(evidence, 'artifacts'), { recursive: true, withFileTypes: true })
    )
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(join(evidence, 'artifacts').length + 1));
    expect(artifacts.length).toBeGreaterThan(0);
    expect(artifacts).toContain('config/alertmanager.yml');
    for (const name of artifacts)
      expect(await readFile(join(evidence, 'artifacts', name), 'utf8'), name).toContain('\r\n');

    const out = await makeTmp('prodgate-crlf-artifacts-out-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      evidence,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = await readReport(out, 'prod');
    const committed = await readReport(join(REPO_ROOT, 'outputs'), 'prod');
    expect(report.verdict).toBe('GO');
    expect(report.provenance.artifacts).toEqual(committed.provenance.artifacts);
    expect(report.evidence).toEqual(committed.evidence);

    const verify = await runCli([
      'verify',
      join(REPO_ROOT, 'outputs', reportName('prod')),
      '--evidence',
      evidence,
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.stdout + verify.stderr).not.toMatch(/DIFFERS/);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});

// A pack started with `prodgate new pack` lives in its own repository, outside this one's
// .gitattributes: it gets its own, and its digests stay byte for byte (attack on issue 10).
describe('a new pack in its own repository, cloned with core.autocrlf=true', () => {
  const git = (cwd: string, args: string[]) =>
    execa(
      'git',
      [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.invalid',
        '-c',
        'init.defaultBranch=main',
        ...args,
      ],
      { cwd },
    );

  it('writes .gitattributes, so the clone holds the committed LF bytes and the pack digests agree', async () => {
    const root = await makeTmp('prodgate-newpack-');
    const pack = join(root, 'pack');
    const made = await runCli(['new', 'pack', pack, '--name', 'win-pack', '--env', 'prod']);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/\.gitattributes/);
    expect(await readFile(join(pack, '.gitattributes'), 'utf8')).toMatch(/^\* text=auto eol=lf$/m);
    await git(pack, ['init', '--quiet']);
    await git(pack, ['add', '-A']);
    await git(pack, ['commit', '--quiet', '-m', 'pack']);
    const clone = join(root, 'clone');
    await execa('git', ['clone', '--quiet', '-c', 'core.autocrlf=true', pack, clone]);
    const { stdout } = await execa('git', ['-C', clone, 'ls-files', '--eol']);
    expect(stdout.split('\n').filter((line) => /\bw\/(crlf|mixed)\b/.test(line))).toEqual([]);
    for (const file of [
      'policies/decision.rego',
      'templates/checklist.md',
      'pack.json',
      'policies/capabilities.json',
    ]) {
      expect(sha256(await readFile(join(clone, file))), file).toBe(
        sha256(await readFile(join(pack, file))),
      );
    }
  }, 60_000);

  it('without the attributes the same clone is CRLF: what the attributes prevent', async () => {
    const root = await makeTmp('prodgate-newpack-');
    const pack = join(root, 'pack');
    expect(
      (await runCli(['new', 'pack', pack, '--name', 'win-pack', '--env', 'prod'])).exitCode,
    ).toBe(0);
    await writeFile(join(pack, '.gitattributes'), '');
    await git(pack, ['init', '--quiet']);
    await git(pack, ['add', '-A']);
    await git(pack, ['commit', '--quiet', '-m', 'pack']);
    const clone = join(root, 'clone');
    await execa('git', ['clone', '--quiet', '-c', 'core.autocrlf=true', pack, clone]);
    expect(await readFile(join(clone, 'policies/decision.rego'), 'utf8')).toMatch(/\r\n/);
  }, 60_000);
});
