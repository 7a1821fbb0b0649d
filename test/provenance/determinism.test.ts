// Determinism: the same evidence, pack and as-of date give byte-identical reports,
// checklists and envelopes, whatever the folders, the working directory and the
// environment variables (other than a CI system's, which are recorded on purpose).
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDifferences } from '../../src/verify/compare.ts';
import { cleanupTmp, copyPack, makeTmp, AS_OF } from '../support/helpers.ts';
import { runEntry } from '../support/verify-entry.ts';
import { copyRepo, generateKeyPair, writeOutputs, type KeyPair } from '../support/outputs.ts';

afterAll(cleanupTmp);

const NAMES = [
  'P4_PROD_READINESS_REPORT_prod.json',
  'P4_PROD_READINESS_CHECKLIST_prod.md',
  'P4_PROD_READINESS_ATTESTATION_prod.dsse.json',
];

async function outputs(dir: string): Promise<Buffer[]> {
  return Promise.all(NAMES.map((n) => readFile(join(dir, n))));
}

let key: KeyPair;
beforeAll(async () => {
  key = await generateKeyPair();
});

describe('in one process', () => {
  it('two copies in different folders, with different environments, give the same bytes', async () => {
    const [a, b] = await Promise.all([copyRepo('prod'), copyRepo('prod')]);
    const [packA, packB] = await Promise.all([copyPack(), copyPack()]);
    const [outA, outB] = await Promise.all([makeTmp('prodgate-a-'), makeTmp('prodgate-b-')]);
    await writeOutputs({
      evidenceDir: a.evidenceDir,
      repoRoot: a.root,
      packDir: packA,
      outDir: outA,
      privateKeyPem: key.privatePem,
      processEnv: {
        HOME: '/home/a',
        USER: 'a',
        TZ: 'Pacific/Kiritimati',
        LANG: 'tr_TR.UTF-8',
        CI: 'true',
      },
    });
    await writeOutputs({
      evidenceDir: b.evidenceDir,
      repoRoot: b.root,
      packDir: packB,
      outDir: outB,
      privateKeyPem: key.privatePem,
      processEnv: { HOME: '/b', PWD: b.root, TZ: 'UTC', SOME_TOKEN: 'x' },
    });
    const [first, second] = [await outputs(outA), await outputs(outB)];
    NAMES.forEach((name, i) => {
      expect((second[i] as Buffer).equals(first[i] as Buffer), name).toBe(true);
    });
  });
});

describe('in separate processes', () => {
  let packA: string;
  let packB: string;
  let a: { root: string; evidenceDir: string };
  let b: { root: string; evidenceDir: string };
  beforeAll(async () => {
    [a, b, packA, packB] = await Promise.all([
      copyRepo('prod'),
      copyRepo('prod'),
      copyPack(),
      copyPack(),
    ]);
  });

  /** Evaluates `b` from inside it with relative paths; `env` is the whole environment. */
  async function fromInside(env: NodeJS.ProcessEnv): Promise<string> {
    const out = await makeTmp('prodgate-inside-');
    const run = await runEntry(
      [
        'write-outputs',
        '--env',
        'prod',
        '--as-of',
        AS_OF,
        '--evidence',
        'evidence/prod',
        '--repo-root',
        '.',
        '--pack',
        relative(b.root, packB),
        '--out',
        relative(b.root, out),
        '--sign-key',
        key.privatePath,
      ],
      { cwd: b.root, env },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    return out;
  }

  it('different folders, working directories, time zones, locales and variables give the same bytes', async () => {
    const outA = await makeTmp('prodgate-outside-');
    const runA = await runEntry(
      [
        'write-outputs',
        '--env',
        'prod',
        '--as-of',
        AS_OF,
        '--evidence',
        a.evidenceDir,
        '--repo-root',
        a.root,
        '--pack',
        packA,
        '--out',
        outA,
        '--sign-key',
        key.privatePath,
      ],
      {
        cwd: outA,
        env: {
          HOME: '/nonexistent',
          TZ: 'Pacific/Kiritimati',
          LANG: 'tr_TR.UTF-8',
          LC_ALL: 'tr_TR.UTF-8',
          USER: 'auditor',
          CI: 'true',
          RANDOM_VARIABLE: String(Math.random()),
        },
      },
    );
    expect(runA.exitCode, runA.stderr).toBe(0);
    const outB = await fromInside({
      HOME: '/root',
      TZ: 'America/Anchorage',
      LANG: 'C',
      NODE_ENV: 'production',
    });
    const [first, second] = [await outputs(outA), await outputs(outB)];
    NAMES.forEach((name, i) => {
      expect((second[i] as Buffer).toString('utf8'), name).toBe(
        (first[i] as Buffer).toString('utf8'),
      );
      expect((second[i] as Buffer).equals(first[i] as Buffer), name).toBe(true);
    });
    expect(first[0]?.toString('utf8')).not.toContain(a.root);
  });

  it('a CI system changes the report exactly in its CI context', async () => {
    const plain = await fromInside({ HOME: '/root' });
    const ci = await fromInside({
      HOME: '/root',
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_RUN_ID: '99',
      GITHUB_ACTOR: 'release-bot',
    });
    const [p, c] = [await outputs(plain), await outputs(ci)];
    const differences = jsonDifferences(JSON.parse(String(p[0])), JSON.parse(String(c[0])));
    expect(differences).toEqual([
      {
        pointer: '/provenance/ci',
        left: undefined,
        right: {
          provider: 'github-actions',
          commit: 'a'.repeat(40),
          runId: '99',
          actor: 'release-bot',
        },
      },
    ]);
    expect(c[1]?.equals(p[1] as Buffer), 'the checklist carries no CI context').toBe(true);
  });
});
