// Issue 9 §4 and §5: what decides a verdict is what is digested and recorded; outputs
// are written as a set; the lock, verify and diff read only regular files, bounded, and
// only inside the folders they are given.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutCiContext } from '../../src/provenance/ci-context.ts';
import { COMMIT_NAME, LOCK_NAME, writeOutputSet } from '../../src/core/io/output-set.ts';
import { packPaths } from '../../src/pack/pack.ts';
import { packDigests } from '../../src/provenance/pack-digests.ts';
import { redactSecrets } from '../../src/core/text/redact.ts';
import {
  AS_OF,
  checklistName,
  CLI,
  cleanupTmp,
  copyEvidence,
  copyPack,
  editYaml,
  makeTmp,
  REPO_ROOT,
  reportName,
  runCli,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

afterAll(cleanupTmp);

/** A permissive copy of the release schema: another $id, anything goes. */
async function permissiveReleaseSchema(): Promise<string> {
  const real = JSON.parse(
    await readFile(join(REPO_ROOT, 'schemas/evidence/release.v1.schema.json'), 'utf8'),
  );
  return JSON.stringify({
    $schema: real.$schema,
    $id: 'https://evil.example/release.v1.schema.json',
    type: 'object',
    properties: { kind: { const: 'release' }, schemaVersion: { const: 1 } },
  });
}

describe('every pack file a loader reads is digested, or refused', () => {
  it('a hidden permissive schema copy is listed and digested, and refused as a second schema for release v1', async () => {
    const pack = await copyPack();
    const before = packDigests(packPaths(pack));
    await writeFile(
      join(pack, 'schemas/evidence/.release.v1.schema.json'),
      await permissiveReleaseSchema(),
    );
    const after = packDigests(packPaths(pack));
    expect(after.files.map((f) => f.path)).toContain('schemas/evidence/.release.v1.schema.json');
    expect(after.digest).not.toBe(before.digest);
    const dir = await copyEvidence('prod');
    await writeFile(join(dir, 'release.yaml'), 'kind: release\nschemaVersion: 1\n');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--pack',
      pack,
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      await makeTmp(),
    ]);
    expect(run.exitCode).toBe(2);
    // Evaluating uses the validators compiled at build time: a schema added since is refused as such;
    // building compiles every schema file and refuses the second one for release v1.
    expect(run.stderr).toMatch(
      /schemas in .* differ from those the pack's validators were compiled from \(added: \.release\.v1\.schema\.json\): run prodgate build/,
    );
    const build = await runCli(['build', '--pack', pack]);
    expect(build.exitCode).toBe(2);
    expect(build.stderr).toMatch(/declares kind "release" schemaVersion 1, as .* does already/);
  });

  it('hidden Rego sources and YAML data files that opa build / opa eval read are digested', async () => {
    const pack = await copyPack();
    await writeFile(join(pack, 'policies/.override.rego'), 'package prodgate.extra\n\nx := 1\n');
    await mkdir(join(pack, 'policies/.hidden'), { recursive: true });
    await writeFile(join(pack, 'policies/.hidden/data.yaml'), 'allow_all: true\n');
    await writeFile(join(pack, 'policies/lib/notes.txt'), 'not read by OPA\n');
    const files = new Map(packDigests(packPaths(pack)).files.map((f) => [f.path, f.role]));
    expect(files.get('policies/.override.rego')).toBe('policy');
    expect(files.get('policies/.hidden/data.yaml')).toBe('data');
    expect(files.has('policies/lib/notes.txt')).toBe(false);
  });

  it('a symbolic link or a FIFO inside the pack is refused', async () => {
    const pack = await copyPack();
    await symlink('/etc/hostname', join(pack, 'policies/linked.yaml'));
    expect(() => packDigests(packPaths(pack))).toThrow(/linked\.yaml is a symbolic link; refused/);
    const other = await copyPack();
    execFileSync('mkfifo', [join(other, 'schemas/evidence/x.schema.json')]);
    expect(() => packDigests(packPaths(other))).toThrow(
      /x\.schema\.json is not a regular file; refused/,
    );
  });
});

describe('a credential-shaped file name', () => {
  it('is redacted the same way in every output, and an untouched signed report verifies', async () => {
    const dir = await copyEvidence('prod');
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB';
    await writeFile(join(dir, `${token}.yaml`), 'kind: release\nschemaVersion: 1\n');
    const keys = generateKeyPairSync('ed25519');
    const keyDir = await makeTmp();
    await writeFile(
      join(keyDir, 'key.pem'),
      keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await writeFile(
      join(keyDir, 'pub.pem'),
      keys.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const out = await makeTmp();
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
      '--sign-key',
      join(keyDir, 'key.pem'),
      '--no-ci-context',
    ]);
    expect(run.exitCode).toBe(1);
    const written = await Promise.all(
      (await readdir(out)).map((name) => readFile(join(out, name), 'utf8')),
    );
    expect(written.join('\n') + run.stdout + run.stderr).not.toContain(token);
    const report = JSON.parse(await readFile(join(out, reportName('prod')), 'utf8'));
    expect(report.provenance.evidence.files.map((f: { path: string }) => f.path)).toContain(
      '[REDACTED].yaml',
    );
    const verify = await runCli([
      'verify',
      join(out, reportName('prod')),
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
      '--key',
      join(keyDir, 'pub.pem'),
    ]);
    expect(verify.stdout).toMatch(/^VERIFIED/m);
    expect(verify.stdout + verify.stderr).not.toContain(token);
  });

  it('two names that redact alike: the second is refused, not merged', async () => {
    const dir = await copyEvidence('prod');
    await writeFile(join(dir, 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB.yaml'), 'kind: notes\n');
    await writeFile(join(dir, 'ghp_Bbcdefghijklmnopqrstuvwxyz0123456789AB.yaml'), 'kind: notes\n');
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
      await makeTmp(),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /\[REDACTED\]\.yaml:1:1: error: another file name redacts to this one/,
    );
  });
});

describe('the limits in force are recorded, and verify applies them', () => {
  it('a GO report made with --max-file-size 2M verifies', async () => {
    const dir = await copyEvidence('prod');
    const runbook = await readFile(join(dir, 'runbook.yaml'), 'utf8');
    await writeFile(
      join(dir, 'runbook.yaml'),
      `${runbook}${`# ${'x'.repeat(1000)}\n`.repeat(1500)}`,
    ); // 1.5 MB of comments
    await approveSignoffs(dir);
    const out = await makeTmp();
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
      '--max-file-size',
      '2M',
      '--no-ci-context',
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, reportName('prod')), 'utf8'));
    expect(report.provenance.limits.maxFileBytes).toBe(2 * 1024 * 1024);
    const verify = await runCli([
      'verify',
      join(out, reportName('prod')),
      '--evidence',
      dir,
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.stdout).toMatch(/^VERIFIED/m);
    expect(verify.exitCode).toBe(0);
  });

  it('the artifact limits too: a report made with --max-test-cases 1 is recorded with it and verifies', async () => {
    const out = await makeTmp();
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--max-test-cases',
      '1',
      '--max-artifact-size',
      '10M',
      '--no-ci-context',
    ]);
    // The JUnit report holds more than one test case: the gates it proves are in error.
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(out, reportName('prod')), 'utf8'));
    expect(report.verdict).toBe('NO-GO');
    expect(report.provenance.artifactLimits).toEqual({
      maxArtifactBytes: 10 * 1024 * 1024,
      maxArtifactNodes: 2_000_000,
      maxTestCases: 1,
      maxResults: 100_000,
      maxArtifactDepth: 64,
      maxArtifactString: 1024 * 1024,
    });
    // verify re-reads the artifacts within the recorded limits: the same NO-GO, verified
    // (with the defaults it would re-evaluate GO and call the report changed).
    const verify = await runCli([
      'verify',
      join(out, reportName('prod')),
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.stdout).toMatch(/^VERIFIED/m);
    expect(verify.exitCode).toBe(0);
    // A recorded limit edited in the report is a changed report, not a quietly used one.
    report.provenance.artifactLimits.maxTestCases = 1_000_000;
    await writeFile(join(out, reportName('prod')), `${JSON.stringify(report, null, 2)}\n`);
    const edited = await runCli([
      'verify',
      join(out, reportName('prod')),
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(edited.exitCode).toBe(1);
  });
});

describe('redaction', () => {
  it.each([
    [
      'https://tracker.example/x?GITHUB_TOKEN=abc123notashape',
      'https://tracker.example/x?GITHUB_TOKEN=[REDACTED]',
    ],
    ['DB_PASSWORD=hunter2', 'DB_PASSWORD=[REDACTED]'],
    [
      'https://b.example/o?X-Amz-Security-Token=zz&sig=abc',
      'https://b.example/o?X-Amz-Security-Token=[REDACTED]&sig=[REDACTED]',
    ],
    ['NPM_AUTH_TOKEN: "x1"', 'NPM_AUTH_TOKEN: "[REDACTED]"'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('a token in a knownIssues query string reaches neither the checklist nor the step summary', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'runbook.yaml', (doc) => {
      doc['knownIssues'] = 'https://tracker.example/x?GITHUB_TOKEN=abc123notashape';
    });
    const out = await makeTmp();
    const summary = join(out, 'step-summary.md');
    await writeFile(summary, '');
    const result = await execa(
      'node',
      [
        CLI,
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
        join(out, 'o'),
        '--format',
        'github',
      ],
      {
        reject: false,
        env: { ...withoutCiContext({ ...process.env }), GITHUB_STEP_SUMMARY: summary },
        extendEnv: false,
      },
    );
    const run = {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
    expect(run.exitCode, run.stderr).toBeLessThanOrEqual(1);
    expect(await readFile(summary, 'utf8')).toContain('Known issues');
    const checklist = await readFile(join(out, 'o', checklistName('prod')), 'utf8');
    expect(checklist).toContain('GITHUB_TOKEN=[REDACTED]');
    expect(checklist + (await readFile(summary, 'utf8')) + run.stdout).not.toContain(
      'abc123notashape',
    );
  });
});

describe('outputs are written as one set', () => {
  it('a folder in the way of one file leaves every file as it was', async () => {
    const dir = await makeTmp();
    await writeOutputSet(dir, [
      { name: 'a.md', content: 'old a\n' },
      { name: 'b.json', content: 'old b\n' },
    ]);
    await mkdir(join(dir, 'c.txt'));
    await expect(
      writeOutputSet(dir, [
        { name: 'a.md', content: 'new a\n' },
        { name: 'b.json', content: 'new b\n' },
        { name: 'c.txt', content: 'new c\n' },
      ]),
    ).rejects.toThrow(/c\.txt is a folder; nothing written/);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe('old a\n');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('old b\n');
    expect((await readdir(dir)).sort()).toEqual(['a.md', 'b.json', 'c.txt']);
  });

  it('a commit interrupted after its record is completed by the next writer', async () => {
    const dir = await makeTmp();
    await writeOutputSet(dir, [
      { name: 'a.md', content: 'old a\n' },
      { name: 'b.json', content: 'old b\n' },
    ]);
    // As a writer killed between renaming a.md and b.json leaves it: a.md new, b.json's temp file and the record.
    const dead = 2 ** 22 + 12345;
    await writeFile(join(dir, 'a.md'), 'new a\n');
    await writeFile(join(dir, `.b.json.${dead}.0123456789ab.tmp`), 'new b\n');
    const renames = [
      {
        temp: `.a.md.${dead}.0123456789ab.tmp`,
        name: 'a.md',
        backup: `.a.md.${dead}.0123456789ab.bak`,
      },
      {
        temp: `.b.json.${dead}.0123456789ab.tmp`,
        name: 'b.json',
        backup: `.b.json.${dead}.0123456789ab.bak`,
      },
    ];
    await writeFile(join(dir, COMMIT_NAME), JSON.stringify({ renames }));
    await writeOutputSet(dir, [{ name: 'other.txt', content: 'x\n' }]);
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('new b\n');
    expect((await readdir(dir)).sort()).toEqual(['a.md', 'b.json', 'other.txt']);
  });

  it('evaluate writes nothing when one of its files cannot be written: the previous checklist stays beside the previous report', async () => {
    const out = await makeTmp();
    const first = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(first.exitCode).toBe(0);
    const checklist = await readFile(join(out, checklistName('prod')), 'utf8');
    await mkdir(join(out, 'P4_PROD_READINESS_SUMMARY_prod.txt'));
    const dir = await copyEvidence('prod');
    await writeFile(join(dir, 'release.yaml'), 'kind: release\nschemaVersion: 1\n');
    const second = await runCli([
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
      '--format',
      'text',
      '--format',
      'json',
    ]);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/is a folder; nothing written/);
    expect(await readFile(join(out, checklistName('prod')), 'utf8')).toBe(checklist);
    expect(JSON.parse(await readFile(join(out, reportName('prod')), 'utf8')).verdict).toBe('GO');
  });

  it('file names must be plain: an environment named ../../escaped in a pack manifest is refused', async () => {
    const pack = await copyPack();
    const manifestPath = join(pack, 'bundle/manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.environments.push('../../../escaped');
    await writeFile(manifestPath, JSON.stringify(manifest));
    const base = await makeTmp();
    const out = join(base, 'a', 'b', 'c');
    const run = await runCli([
      'evaluate',
      '--env',
      'all',
      '--pack',
      pack,
      '--evidence',
      join(REPO_ROOT, 'evidence'),
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/manifest\.environments must be a list of environment names/);
    expect(existsSync(join(base, 'P4_PROD_READINESS_CHECKLIST_escaped.md'))).toBe(false);
    await expect(writeOutputSet(out, [{ name: '../escaped.md', content: 'x' }])).rejects.toThrow(
      /not a plain file name/,
    );
  });
});

describe('the lock file, verify and diff read only regular files, bounded', () => {
  it('a FIFO at the lock path stops evaluate at once instead of hanging it', async () => {
    const out = await makeTmp();
    execFileSync('mkfifo', [join(out, LOCK_NAME)]);
    const started = Date.now();
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/output lock .* a FIFO \(named pipe\), not a regular file/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('a symbolic link at the lock path is refused', async () => {
    const out = await makeTmp();
    await symlink('/dev/zero', join(out, LOCK_NAME));
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/output lock .* symbolic link/);
  }, 60_000);

  it('verify and diff refuse a FIFO, a device and an oversized file instead of reading them', async () => {
    const dir = await makeTmp();
    const fifo = join(dir, 'report.json');
    execFileSync('mkfifo', [fifo]);
    const big = join(dir, 'big.json');
    await writeFile(big, '');
    await truncate(big, 65 * 1024 * 1024); // sparse: costs no disk
    for (const args of [
      ['verify', fifo],
      ['diff', fifo, fifo],
      ['verify', '/dev/zero'],
      ['diff', big, big],
      ['verify', big],
    ]) {
      const run = await runCli(args);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/not a regular file|over the 67108864-byte limit/);
    }
  }, 120_000);

  it('a report naming an environment ../../x makes verify read nothing outside the given folders', async () => {
    const out = await makeTmp();
    await runCli([
      'evaluate',
      '--env',
      'prod',
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    const path = join(out, reportName('prod'));
    const report = JSON.parse(await readFile(path, 'utf8'));
    report.environment = '../../prod';
    report.provenance.environment = '../../prod';
    await writeFile(path, JSON.stringify(report));
    const verify = await runCli(['verify', path]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(/\/environment must be an environment name/);
    const diff = await runCli(['diff', path, path]);
    expect(diff.exitCode).toBe(2);
    expect(diff.stderr).toMatch(/\/environment must be an environment name/);
  });
});
