// The issue #4 round trip through the real CLI (dist/cli/main.js): evaluate --sign-key
// --emit-input, verify --key --engine opa, diff, the stand-alone opa eval, determinism,
// the CI context and sign-offs bound to the evidence they approved.
//
// PENDING: rename to wired.test.ts once main.ts registers verify and diff, evaluate has
// --sign-key, --emit-input and --no-ci-context and writes reports with provenance, and the
// sign-off binding patch is applied (see the wiring steps). Then it must pass, and
// support/cli.mjs, support/entry.ts and cli.test.ts can go.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opaBinary } from '../../src/pack/opa-cli.ts';
import { withoutCiContext } from '../../src/provenance/ci-context.ts';
import { jsonDifferences } from '../../src/verify/compare.ts';
import {
  AS_OF,
  CLI,
  cleanupTmp,
  editYaml,
  makeTmp,
  REPO_ROOT,
  type CliResult,
} from '../support/helpers.ts';
import { copyRepo, generateKeyPair, type KeyPair } from '../support/outputs.ts';

afterAll(cleanupTmp);

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;
const REPORT = 'P4_PROD_READINESS_REPORT_prod.json';
const CHECKLIST = 'P4_PROD_READINESS_CHECKLIST_prod.md';
const ENVELOPE = 'P4_PROD_READINESS_ATTESTATION_prod.dsse.json';

/** The real CLI; `env` is the whole environment besides PATH (no CI variables leak in from the runner). */
async function prodgate(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const result = await execa('node', [CLI, ...args], {
    reject: false,
    cwd: options.cwd ?? REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...(options.env ?? withoutCiContext({ HOME: process.env['HOME'] ?? '/' })),
    },
    extendEnv: false,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

let key: KeyPair;
let repo: { root: string; evidenceDir: string };
let out: string;
let input: string;

async function evaluate(
  evidence: string,
  outDir: string,
  extra: string[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return prodgate(
    [
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--evidence',
      evidence,
      '--out',
      outDir,
      ...extra,
    ],
    { cwd: repo.root, ...(env ? { env } : {}) },
  );
}

beforeAll(async () => {
  [key, repo] = await Promise.all([generateKeyPair(), copyRepo('prod')]);
  out = await makeTmp('prodgate-wired-');
  input = join(await makeTmp(), 'input.json');
  const run = await evaluate('evidence/prod', out, [
    '--sign-key',
    key.privatePath,
    '--emit-input',
    input,
  ]);
  expect(run.exitCode, run.stderr).toBe(0);
});

describe('evaluate', () => {
  it('writes a canonical report with provenance that validates against the report schema', async () => {
    const text = await readFile(join(out, REPORT), 'utf8');
    const report = JSON.parse(text) as Record<string, any>;
    expect(text).not.toMatch(/\n./); // one line: canonical JSON and a newline
    expect(report['provenance']).toMatchObject({
      provenanceVersion: 1,
      environment: 'prod',
      asOf: AS_OF,
      pack: { opaVersion: expect.any(String) },
    });
    expect(report['provenance'].ci).toBeUndefined();
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(join(REPO_ROOT, 'schemas/report.v1.schema.json'), 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('writes the envelope beside the report and the checklist', async () => {
    const envelope = JSON.parse(await readFile(join(out, ENVELOPE), 'utf8')) as {
      payloadType: string;
    };
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
  });

  it('exits 2 for a signing key that cannot be used, and writes nothing', async () => {
    const dir = await makeTmp();
    const run = await evaluate('evidence/prod', dir, ['--sign-key', key.publicPath]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/signing key/);
  });

  it('records the CI context from CI variables, and none with --no-ci-context', async () => {
    const ci = {
      HOME: '/root',
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_RUN_ID: '7',
      GITHUB_ACTOR: 'bot',
    };
    const [withCi, without] = [await makeTmp(), await makeTmp()];
    expect((await evaluate('evidence/prod', withCi, [], ci)).exitCode).toBe(0);
    expect((await evaluate('evidence/prod', without, ['--no-ci-context'], ci)).exitCode).toBe(0);
    const read = async (dir: string) =>
      JSON.parse(await readFile(join(dir, REPORT), 'utf8')) as Record<string, any>;
    expect((await read(withCi))['provenance'].ci).toEqual({
      provider: 'github-actions',
      commit: 'c'.repeat(40),
      runId: '7',
      actor: 'bot',
    });
    expect(jsonDifferences(await read(without), await read(out))).toEqual([]);
  });

  it('gives the same bytes from another folder, working directory and environment', async () => {
    const other = await copyRepo('prod');
    const dir = await makeTmp();
    const run = await prodgate(
      [
        'evaluate',
        '--env',
        'prod',
        '--as-of',
        AS_OF,
        '--evidence',
        other.evidenceDir,
        '--repo-root',
        other.root,
        '--out',
        dir,
        '--sign-key',
        key.privatePath,
      ],
      {
        cwd: dir,
        env: {
          HOME: '/nonexistent',
          TZ: 'Pacific/Kiritimati',
          LANG: 'tr_TR.UTF-8',
          LC_ALL: 'tr_TR.UTF-8',
          CI: 'true',
        },
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    for (const name of [REPORT, CHECKLIST, ENVELOPE])
      expect((await readFile(join(dir, name))).equals(await readFile(join(out, name))), name).toBe(
        true,
      );
  });
});

describe('verify', () => {
  it('exits 0 with the key and the second engine', async () => {
    const run = await prodgate(
      ['verify', join(out, REPORT), '--key', key.publicPath, '--engine', 'opa'],
      { cwd: repo.root },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\nVERIFIED: /);
  });

  it('exits 1 naming an evidence file changed since', async () => {
    const evidence = join(await makeTmp(), 'prod');
    await cp(repo.evidenceDir, evidence, { recursive: true });
    await writeFile(
      join(evidence, 'ops.yaml'),
      `${await readFile(join(evidence, 'ops.yaml'), 'utf8')}# edited\n`,
    );
    const run = await prodgate(
      ['verify', join(out, REPORT), '--evidence', evidence, '--key', key.publicPath],
      { cwd: repo.root },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /evidence file ops\.yaml: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
  });
});

describe('the stand-alone opa eval on the emitted input', () => {
  it('decides every leaf gate as the report does', async () => {
    const run = await execa(
      opaBinary(),
      [
        'eval',
        '--format',
        'json',
        '--data',
        'policies',
        '--ignore',
        '*_test.rego',
        '--ignore',
        '*.json',
        '--input',
        input,
        'data.prodgate.decision',
      ],
      { cwd: REPO_ROOT },
    );
    const gates =
      (
        JSON.parse(run.stdout) as {
          result: { expressions: { value: { gates: Record<string, { status: string }> } }[] }[];
        }
      ).result[0]?.expressions[0]?.value.gates ?? {};
    const report = JSON.parse(await readFile(join(out, REPORT), 'utf8')) as {
      gates: { id: string; parent?: string; status: string }[];
    };
    const parents = new Set(report.gates.map((g) => g.parent).filter(Boolean));
    const leaves = report.gates.filter((g) => !parents.has(g.id));
    expect(leaves.length).toBeGreaterThan(20);
    for (const gate of leaves) expect(gates[gate.id]?.status, gate.id).toBe(gate.status);
  });
});

describe('diff', () => {
  it('exits 1 naming the gate that became failing and the evidence file that changed', async () => {
    const evidence = join(await makeTmp(), 'prod');
    await cp(repo.evidenceDir, evidence, { recursive: true });
    await editYaml(evidence, 'signoff.yaml', (d) => delete d['engineering']);
    const dir = await makeTmp();
    expect((await evaluate(evidence, dir)).exitCode).toBe(1);
    const run = await prodgate(['diff', join(out, REPORT), join(dir, REPORT)]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/now failing \(1\):\n {2}signoff\.engineering: pass -> fail/);
    expect(run.stdout).toMatch(/changed signoff\.yaml/);
  });
});

describe('sign-offs bound to the evidence they approved', () => {
  it('the examples pass their sign-offs, and record the digest a sign-off approves', async () => {
    const report = JSON.parse(await readFile(join(out, REPORT), 'utf8')) as {
      gates: { id: string; status: string }[];
      provenance: { evidence: { digestWithout: Record<string, string> } };
    };
    for (const id of ['signoff.product', 'signoff.engineering', 'signoff.security'])
      expect(report.gates.find((g) => g.id === id)?.status, id).toBe('pass');
    const signoff = await readFile(join(repo.evidenceDir, 'signoff.yaml'), 'utf8');
    expect(signoff).toContain(
      `evidenceDigest: ${report.provenance.evidence.digestWithout['signoff']}`,
    );
  });

  it('an evidence change after the sign-offs fails them, saying so, until they approve the new digest', async () => {
    const evidence = join(await makeTmp(), 'prod');
    await cp(repo.evidenceDir, evidence, { recursive: true });
    await writeFile(
      join(evidence, 'ops.yaml'),
      `${await readFile(join(evidence, 'ops.yaml'), 'utf8')}# edited after sign-off\n`,
    );
    const dir = await makeTmp();
    expect((await evaluate(evidence, dir)).exitCode).toBe(1);
    const report = JSON.parse(await readFile(join(dir, REPORT), 'utf8')) as {
      gates: { id: string; status: string; reasons: { message: string }[] }[];
      provenance: { evidence: { digestWithout: Record<string, string> } };
    };
    for (const id of ['signoff.product', 'signoff.engineering', 'signoff.security']) {
      const gate = report.gates.find((g) => g.id === id);
      expect(gate?.status, id).toBe('fail');
      expect(gate?.reasons.map((r) => r.message).join('\n')).toMatch(
        /the evidence changed after the \w+ sign-off/,
      );
    }
    const digest = report.provenance.evidence.digestWithout['signoff'] as string;
    await editYaml(evidence, 'signoff.yaml', (d) => {
      for (const role of ['product', 'engineering', 'security']) d[role].evidenceDigest = digest;
    });
    const again = await makeTmp();
    const run = await evaluate(evidence, again);
    expect(run.exitCode, run.stdout).toBe(0);
  });
});
