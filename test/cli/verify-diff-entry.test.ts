// verify and diff as commands, run as subprocesses through the test-only entry
// (support/cli.mjs): exit 0 verified / same, 1 a difference, 2 cannot run; never a trace.
import { generateKeyPairSync } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  cleanupTmp,
  editYaml,
  makeTmp,
  STACK_TRACE,
  type CliResult,
} from '../support/helpers.ts';
import { runEntry } from '../support/verify-entry.ts';
import { copyRepo, generateKeyPair, type KeyPair } from '../support/outputs.ts';

afterAll(cleanupTmp);

const REPORT = 'P4_PROD_READINESS_REPORT_prod.json';

let key: KeyPair;
let repo: { root: string; evidenceDir: string };
let out: string;

function clean(run: CliResult): void {
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toMatch(/internal error/);
}

/** Writes signed outputs for an evidence folder, from inside the repository copy. */
async function writeOutputs(evidence: string, outDir: string): Promise<void> {
  const run = await runEntry(
    [
      'write-outputs',
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--evidence',
      evidence,
      '--out',
      outDir,
      '--sign-key',
      key.privatePath,
    ],
    { cwd: repo.root },
  );
  expect(run.exitCode, run.stderr).toBe(0);
}

beforeAll(async () => {
  [key, repo] = await Promise.all([generateKeyPair(), copyRepo('prod')]);
  out = await makeTmp('prodgate-cli-verify-');
  await writeOutputs('evidence/prod', out);
});

describe('verify', () => {
  it('exits 0 on untouched outputs, with the defaults: evidence/<env> and links from the working folder', async () => {
    const run = await runEntry(['verify', join(out, REPORT)], { cwd: repo.root });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\nVERIFIED: /);
    expect(run.stderr).toBe('');
  });

  it('exits 0 with the key and the second engine, and says so', async () => {
    const run = await runEntry(
      ['verify', join(out, REPORT), '--key', key.publicPath, '--engine', 'opa'],
      { cwd: repo.root },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      /ok {7}signature: envelope P4_PROD_READINESS_ATTESTATION_prod\.dsse\.json: signed by [0-9a-f]{64}/,
    );
    expect(run.stdout).toMatch(
      /ok {7}engine: opa eval on the Rego sources agrees with policy\.wasm on \d+ gate\(s\)/,
    );
  });

  it('exits 1 naming the changed file, the digest and the gate that moved', async () => {
    const evidence = join(await makeTmp(), 'prod');
    await cp(repo.evidenceDir, evidence, { recursive: true });
    await editYaml(evidence, 'security.yaml', (d) => d['cors'].trustedOrigins.push('*'));
    const run = await runEntry(
      ['verify', join(out, REPORT), '--evidence', evidence, '--key', key.publicPath],
      { cwd: repo.root },
    );
    expect(run.exitCode, run.stdout).toBe(1);
    clean(run);
    expect(run.stdout).toMatch(
      /evidence file security\.yaml: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
    expect(run.stdout).toMatch(
      /subject evidence\/security\.yaml: sha256 signed [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
    expect(run.stdout).toMatch(
      /gate security\.cors moved from pass \(in the report\) to fail \(in re-evaluation\): /,
    );
    expect(run.stdout).toMatch(
      /verdict moved from GO \(in the report\) to NO-GO \(in re-evaluation\)/,
    );
    expect(run.stdout).toMatch(
      /\nNOT VERIFIED: \d+ difference\(s\) in signature, evidence, re-evaluation, checklist\n$/,
    );
  });

  it('--format json gives the result as canonical JSON', async () => {
    const run = await runEntry(['verify', join(out, REPORT), '--format', 'json'], {
      cwd: repo.root,
    });
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as {
      verified: boolean;
      checks: { part: string; state: string }[];
    };
    expect(result.verified).toBe(true);
    expect(result.checks.map((c) => c.part)).toEqual([
      'report',
      'tool',
      'pack',
      'evidence',
      're-evaluation',
      'checklist',
    ]);
  });

  it('exits 1 for an edited report, naming the report', async () => {
    const dir = await makeTmp();
    await cp(out, dir, { recursive: true });
    const path = join(dir, REPORT);
    await writeFile(path, `${JSON.stringify(JSON.parse(await readFile(path, 'utf8')), null, 1)}\n`);
    const run = await runEntry(['verify', path], { cwd: repo.root });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /report P4_PROD_READINESS_REPORT_prod\.json: not in canonical JSON form/,
    );
  });

  it.each([
    ['a missing report', ['verify', 'nope.json'], /report nope\.json cannot be read/],
    [
      'a missing evidence folder',
      ['verify', `{out}/${REPORT}`, '--evidence', 'evidence/none'],
      /evidence folder evidence\/none cannot be read/,
    ],
    [
      'a missing key',
      ['verify', `{out}/${REPORT}`, '--key', 'no-key.pem'],
      /public key no-key\.pem cannot be read/,
    ],
    ['a key that is not ed25519', ['verify', `{out}/${REPORT}`, '--key', '{rsa}'], /ed25519/],
    [
      'an envelope without a key',
      ['verify', `{out}/${REPORT}`, '--envelope', '{out}/x.dsse.json'],
      /--envelope needs --key/,
    ],
    [
      'a missing envelope',
      ['verify', `{out}/${REPORT}`, '--key', '{pub}', '--envelope', 'none.dsse.json'],
      /envelope none\.dsse\.json cannot be read/,
    ],
    ['an unknown engine', ['verify', `{out}/${REPORT}`, '--engine', 'cedar'], /invalid/i],
  ])('exits 2 for %s, with a one-line message', async (_name, args, message) => {
    const rsa = join(await makeTmp(), 'rsa.pem');
    await writeFile(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
        type: 'spki',
        format: 'pem',
      }),
    );
    const expanded = args.map((a) =>
      a.replace('{out}', out).replace('{rsa}', rsa).replace('{pub}', key.publicPath),
    );
    const run = await runEntry(expanded, { cwd: repo.root });
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toMatch(message);
    clean(run);
  });
});

describe('diff', () => {
  let changed: string;
  beforeAll(async () => {
    const evidence = join(await makeTmp(), 'prod');
    await cp(repo.evidenceDir, evidence, { recursive: true });
    await editYaml(evidence, 'signoff.yaml', (d) => delete d['product']);
    changed = await makeTmp('prodgate-cli-changed-');
    await writeOutputs(evidence, changed);
  });

  it('exits 0 for a report and itself', async () => {
    const run = await runEntry(['diff', join(out, REPORT), join(out, REPORT)]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/no differences/);
  });

  it('exits 1 and names what became failing and which evidence changed', async () => {
    const run = await runEntry(['diff', join(out, REPORT), join(changed, REPORT)]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\nnow failing \(1\):\n {2}signoff\.product: pass -> fail\n/);
    expect(run.stdout).toMatch(/\nevidence files changed \(1\):\n {2}changed signoff\.yaml /);
    const json = await runEntry([
      'diff',
      join(changed, REPORT),
      join(out, REPORT),
      '--format',
      'json',
    ]);
    expect(json.exitCode).toBe(1);
    const diff = JSON.parse(json.stdout) as { gates: { id: string; change: string }[] };
    expect(diff.gates).toEqual([
      expect.objectContaining({ id: 'signoff.product', change: 'fixed' }),
    ]);
  });

  it('exits 2 for a file that is not a report', async () => {
    const run = await runEntry([
      'diff',
      join(out, REPORT),
      join(out, 'P4_PROD_READINESS_CHECKLIST_prod.md'),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/is not a prodgate report: it is not valid JSON/);
    clean(run);
  });
});
