// Configuration read at the released revision (docs/artifacts.md): a repoPath entry is
// read with git at release.yaml's revision, never from the working tree; its blob id is
// recorded beside its sha256 (provenance, attestation subjects, the sign-off digest) and
// verify re-reads it. Real git repositories in temporary folders; no mocks.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../src/engine.ts';
import { bundleDigest } from '../../src/core/digest.ts';
import { compareFiles } from '../../src/verify/verify-checks.ts';
import { AS_OF, cleanupTmp, editYaml, makeTmp, REPO_ROOT, runCli } from '../support/helpers.ts';
import { recordedProd } from './config-support.ts';

afterAll(cleanupTmp);

const WORKFLOW = join(REPO_ROOT, 'examples/release-config/.github/workflows/release.yml');

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

/** A repository with the prod evidence under evidence/prod and the release workflow committed at ci/release.yml. */
async function repository(): Promise<{ repo: string; evidence: string; commit: string }> {
  const repo = await makeTmp('prodgate-config-git-');
  git(repo, 'init', '-q', '-b', 'main');
  const evidence = join(repo, 'evidence/prod');
  await cp(join(REPO_ROOT, 'evidence/prod'), evidence, { recursive: true });
  await mkdir(join(repo, 'ci'));
  await cp(WORKFLOW, join(repo, 'ci/release.yml'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'release');
  const commit = git(repo, 'rev-parse', 'HEAD');
  await readFromRepository(evidence, 'ci/release.yml', commit);
  return { repo, evidence, commit };
}

/** Names the release workflow by its repository path (ops.migrations records it) and releases `revision`. */
async function readFromRepository(evidence: string, repoPath: string, revision: string) {
  await editYaml(evidence, 'artifacts.yaml', (doc) => {
    doc.artifacts = doc.artifacts.filter((a: { id: string }) => a.id !== 'release-workflow');
    doc.artifacts.push({ id: 'release-workflow', repoPath });
  });
  await editYaml(evidence, 'ops.yaml', (doc) => {
    doc.migrations = { recordedBy: { artifact: 'release-workflow' } };
  });
  await editYaml(evidence, 'release.yaml', (doc) => {
    doc.revision = revision;
  });
}

const evaluate = (evidenceDir: string, artifactLimits = {}) =>
  evaluateEnvironment({
    env: 'prod',
    evidenceDir,
    asOf: AS_OF,
    repoRoot: REPO_ROOT,
    artifactLimits,
  });

const gate = (e: Awaited<ReturnType<typeof evaluate>>, id: string) =>
  e.decision.gates.find((g) => g.id === id);

/** Deploy no longer waits for the migrations job. */
const NOT_WAITING = (text: string) =>
  text.replace('needs: [build, server-migrate]', 'needs: [build]');

describe('configuration read with git at the released revision', () => {
  it('reads the committed file, not the working tree, and records its blob id beside its sha256', async () => {
    const { repo, evidence, commit } = await repository();
    // The working tree says otherwise: it must not matter.
    await writeFile(join(repo, 'ci/release.yml'), NOT_WAITING(await readFile(WORKFLOW, 'utf8')));
    const e = await evaluate(evidence);
    const artifact = e.artifacts.find((a) => a.id === 'release-workflow');
    const bytes = await readFile(WORKFLOW);
    expect(artifact).toMatchObject({
      path: `${commit}:ci/release.yml`,
      source: 'git',
      repoPath: 'ci/release.yml',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      gitBlob: git(repo, 'rev-parse', `${commit}:ci/release.yml`),
      format: 'github-actions',
      valid: true,
    });
    expect(gate(e, 'ops.migrations')?.status).toBe('pass');
    expect(e.input.recorded?.['ops']?.['/migrations']).toMatchObject({
      revision: commit,
      config: {
        migrations: { job: { id: 'server-migrate' }, runsBeforeDeploy: true, serialized: true },
      },
    });
  });

  it('a committed change that makes deploy not wait flips ops.migrations, located at <revision>:<path>', async () => {
    const { repo, evidence } = await repository();
    await writeFile(join(repo, 'ci/release.yml'), NOT_WAITING(await readFile(WORKFLOW, 'utf8')));
    git(repo, 'commit', '-q', '-am', 'deploy without migrations');
    const next = git(repo, 'rev-parse', 'HEAD');
    await editYaml(evidence, 'release.yaml', (doc) => {
      doc.revision = next;
    });
    const g = gate(await evaluate(evidence), 'ops.migrations');
    expect(g?.status).toBe('fail');
    expect(g?.reasons).toContainEqual(
      expect.objectContaining({
        code: 'violation',
        message: expect.stringContaining(
          'deploy job deploy-server does not wait for migrations job server-migrate',
        ),
        evidence: expect.arrayContaining([
          expect.objectContaining({ file: `${next}:ci/release.yml`, line: 39, column: 3 }),
        ]),
      }),
    );
  });

  it.each([
    ['an unknown revision', { revision: 'deadbeefdeadbeef' }, /deadbeefdeadbeef/],
    ['a path not in that tree', { repoPath: 'ci/missing.yml' }, /not in the tree of revision/],
    ['a directory', { repoPath: 'ci' }, /is a directory, not a file/],
    [
      'a path with ..',
      { repoPath: 'ci/../ci/release.yml' },
      /without '\.', '\.\.' or empty segments/,
    ],
  ])(
    '%s is a located error at the entry, and the gate reading it is error',
    async (_, change, message) => {
      const { evidence } = await repository();
      if ('repoPath' in change)
        await editYaml(evidence, 'artifacts.yaml', (doc) => {
          doc.artifacts.find((a: { id: string }) => a.id === 'release-workflow').repoPath =
            change.repoPath;
        });
      if ('revision' in change)
        await editYaml(evidence, 'release.yaml', (doc) => {
          doc.revision = change.revision;
        });
      const e = await evaluate(evidence);
      const d = e.diagnostics.find(
        (x) => x.file === 'artifacts.yaml' && /^\/artifacts\/\d+\/repoPath$/.test(x.pointer ?? ''),
      );
      expect(d?.message).toMatch(message);
      expect(d?.line).toBeGreaterThan(1);
      expect(gate(e, 'ops.migrations')?.status).toBe('error');
    },
  );

  it('a symbolic link in the tree and a file over the size bound are refused', async () => {
    const { repo, evidence } = await repository();
    await symlink('release.yml', join(repo, 'ci/link.yml'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'link');
    const head = git(repo, 'rev-parse', 'HEAD');
    await readFromRepository(evidence, 'ci/link.yml', head);
    const linked = await evaluate(evidence);
    expect(linked.diagnostics.map((d) => d.message).join('\n')).toMatch(/symbolic link/);
    await readFromRepository(evidence, 'ci/release.yml', head);
    const big = await evaluate(evidence, { maxArtifactBytes: 200 });
    expect(big.diagnostics.map((d) => d.message).join('\n')).toMatch(/over the 200-byte limit/);
    expect(gate(big, 'ops.migrations')?.status).toBe('error');
  });

  it('the blob id is in the evidence digest lines, the attestation subjects and the report', async () => {
    const files = [{ path: 'a:b.yml', sha256: 'x'.repeat(64), gitBlob: 'y'.repeat(40) }];
    expect(bundleDigest(files)).not.toBe(
      bundleDigest([{ path: 'a:b.yml', sha256: 'x'.repeat(64) }]),
    );
    expect(bundleDigest(files)).not.toBe(bundleDigest([{ ...files[0]!, gitBlob: 'z'.repeat(40) }]));
    expect(
      compareFiles(files, [{ ...files[0]!, gitBlob: 'z'.repeat(40) }], (p) => p, 'here'),
    ).toEqual([`a:b.yml: git blob recorded ${'y'.repeat(40)}, now ${'z'.repeat(40)}`]);

    const { evidence, commit } = await repository();
    const out = await makeTmp('prodgate-config-git-out-');
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      evidence,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--repo-root',
      REPO_ROOT,
    ]);
    const report = JSON.parse(
      await readFile(join(out, 'P4_PROD_READINESS_REPORT_prod.json'), 'utf8'),
    );
    const entry = report.provenance.evidence.files.find(
      (f: { path: string }) => f.path === `${commit}:ci/release.yml`,
    );
    expect(entry.gitBlob).toMatch(/^[0-9a-f]{40}$/);
    expect(report.provenance.artifacts).toContainEqual(
      expect.objectContaining({
        id: 'release-workflow',
        repoPath: 'ci/release.yml',
        gitBlob: entry.gitBlob,
      }),
    );
    expect(report.evidence.files).toContainEqual(
      expect.objectContaining({ path: entry.path, gitBlob: entry.gitBlob }),
    );
  }, 60_000);
});

describe('verify re-reads configuration', () => {
  async function evaluated(evidence: string): Promise<string> {
    const out = await makeTmp('prodgate-config-verify-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      evidence,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(run.exitCode).toBeLessThanOrEqual(1);
    return join(out, 'P4_PROD_READINESS_REPORT_prod.json');
  }

  it('names a configuration read with git whose blob can no longer be read at the recorded revision', async () => {
    const { repo, evidence, commit } = await repository();
    const report = await evaluated(evidence);
    expect(
      (await runCli(['verify', report, '--evidence', evidence, '--repo-root', REPO_ROOT])).exitCode,
    ).toBe(0);
    // The repository lost the file's blob (a broken or partial clone): it cannot be read at the revision.
    const blob = git(repo, 'rev-parse', `${commit}:ci/release.yml`);
    await rm(join(repo, '.git/objects', blob.slice(0, 2), blob.slice(2)));
    const run = await runCli(['verify', report, '--evidence', evidence, '--repo-root', REPO_ROOT]);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toContain(`artifact ${commit}:ci/release.yml: sha256 recorded`);
  }, 60_000);

  it('names a rendered configuration file changed in the evidence folder', async () => {
    const dir = await recordedProd();
    const report = await evaluated(dir);
    await writeFile(
      join(dir, 'config/release.yml'),
      NOT_WAITING(await readFile(join(dir, 'config/release.yml'), 'utf8')),
    );
    const run = await runCli(['verify', report, '--evidence', dir, '--repo-root', REPO_ROOT]);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(
      /artifact config\/release\.yml: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
    await rm(join(dir, 'config/release.yml'));
  }, 60_000);
});
