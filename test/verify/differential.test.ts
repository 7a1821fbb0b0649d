// Differential suite: the compiled policy.wasm (through opa-wasm, as the engine runs it)
// and the stock `opa eval` on the Rego sources must give the same raw decision, gate by
// gate, for every example bundle and for mutated ones that take other paths through
// the policies: failures, schema errors, missing and unparseable files, N/A, staleness.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import {
  compareOutcomes,
  crossCheckWithOpa,
  entrypointQuery,
  opaEvalArgs,
  policyInputFile,
  writePolicyInput,
  type EngineComparison,
} from '../../src/verify/opa-crosscheck.ts';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  copyPack,
  editYaml,
  ENVS,
  inBatches,
  makeTmp,
  REPO_ROOT,
  skipInReport,
  type Env,
} from '../support/helpers.ts';

afterAll(cleanupTmp);

type Doc = Record<string, any>;

interface Fixture {
  name: string;
  env: Env;
  asOf?: string;
  /** Edits a copy of evidence/<env>; absent for the example itself. */
  edit?(dir: string): Promise<void>;
  /** A gate whose status the fixture must produce, so that it really takes another path. */
  expect?: [string, 'pass' | 'fail' | 'na' | 'error'];
}

const yamlEdit =
  (file: string, mutate: (doc: Doc) => void) =>
  (dir: string): Promise<void> =>
    editYaml(dir, file, mutate);

const FIXTURES: Fixture[] = [
  ...ENVS.map((env): Fixture => ({ name: `the ${env} example`, env })),
  {
    name: 'prod, judged a year later (stale evidence)',
    env: 'prod',
    asOf: '2027-11-25',
    expect: ['ops.dr.tabletop', 'fail'],
  },
  {
    name: 'prod with a wildcard CORS origin',
    env: 'prod',
    edit: yamlEdit('security.yaml', (d) => d['cors'].trustedOrigins.push('*')),
    expect: ['security.cors', 'fail'],
  },
  {
    name: 'prod without the engineering sign-off',
    env: 'prod',
    edit: yamlEdit('signoff.yaml', (d) => delete d['engineering']),
    expect: ['signoff.engineering', 'fail'],
  },
  {
    name: 'prod with a schema-invalid topology',
    env: 'prod',
    edit: yamlEdit('topology.yaml', (d) => (d['decision'] = 'hybrid')),
    expect: ['topology.decision', 'error'],
  },
  {
    name: 'prod, multi-node without a cluster block',
    env: 'prod',
    edit: yamlEdit('topology.yaml', (d) => (d['decision'] = 'multi-node')),
    expect: ['topology.single-node', 'na'],
  },
  {
    name: 'prod with a skipped isolation test in its JUnit report',
    env: 'prod',
    edit: skipInReport('[org-iso:knowledge-queries]'),
    expect: ['tenancy.isolation.knowledge-queries', 'fail'],
  },
  {
    name: 'prod with a gitleaks finding',
    env: 'prod',
    edit: (dir) =>
      cp(
        join(REPO_ROOT, 'test/fixtures/artifacts/secret-scan/gitleaks-webapp.sarif'),
        join(dir, 'artifacts/gitleaks.sarif'),
      ),
    expect: ['security.secrets', 'fail'],
  },
  {
    name: 'prod with unusable runbook links',
    env: 'prod',
    edit: yamlEdit('runbook.yaml', (d) =>
      Object.assign(d, {
        primary: 'http://wiki.example/r',
        rollback: '../outside.md',
        backupRestore: '/etc/passwd',
      }),
    ),
    expect: ['runbook.primary', 'fail'],
  },
  {
    name: 'prod with security N/A in a non-MVP release',
    env: 'prod',
    edit: yamlEdit(
      'signoff.yaml',
      (d) => (d['security'] = { notApplicable: true, rationale: 'later' }),
    ),
    expect: ['signoff.security', 'fail'],
  },
  {
    name: 'prod without release evidence',
    env: 'prod',
    edit: (dir) => rm(join(dir, 'release.yaml')),
    expect: ['release.metadata', 'fail'],
  },
  {
    name: 'prod with unparseable security evidence',
    env: 'prod',
    edit: (dir) => writeFile(join(dir, 'security.yaml'), 'kind: security\n  bad: [indent\n'),
    expect: ['security.cors', 'error'],
  },
  {
    name: 'prod with the ops kind declared twice',
    env: 'prod',
    edit: (dir) => cp(join(dir, 'ops.yaml'), join(dir, 'ops-copy.yaml')),
    expect: ['ops.migrations', 'error'],
  },
  {
    name: 'staging without credentials on CORS',
    env: 'staging',
    edit: yamlEdit('security.yaml', (d) => (d['cors'].allowCredentials = false)),
    expect: ['security.cors', 'pass'],
  },
  {
    name: 'pilot with an empty evidence folder',
    env: 'pilot',
    edit: async (dir) => {
      for (const f of [
        'observability',
        'ops',
        'release',
        'runbook',
        'security',
        'signoff',
        'tenancy',
        'topology',
      ])
        await rm(join(dir, `${f}.yaml`));
    },
    expect: ['signoff.product', 'fail'],
  },
];

let pack: LoadedPack;
const results = new Map<string, { evaluation: Evaluation; comparison: EngineComparison }>();

beforeAll(async () => {
  pack = await loadPack();
  await inBatches(FIXTURES, 2, async (fixture) => {
    const dir = fixture.edit
      ? await copyEvidence(fixture.env)
      : join(REPO_ROOT, 'evidence', fixture.env);
    if (fixture.edit) await fixture.edit(dir);
    const evaluation = await evaluateEnvironment({
      env: fixture.env,
      evidenceDir: dir,
      asOf: fixture.asOf ?? AS_OF,
      pack,
      repoRoot: REPO_ROOT,
    });
    results.set(fixture.name, { evaluation, comparison: await crossCheckWithOpa(evaluation) });
  });
}, 120_000);

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (name, fixture) => {
  it("opa eval on the Rego sources gives policy.wasm's raw decision for every gate", () => {
    const { evaluation, comparison } = results.get(name) as {
      evaluation: Evaluation;
      comparison: EngineComparison;
    };
    expect(comparison.differences).toEqual([]);
    expect(comparison.agree).toBe(true);
    expect(comparison.gates).toBe(pack.gates.length);
    if (fixture.expect) {
      const [gate, status] = fixture.expect;
      expect(evaluation.decision.gates.find((g) => g.id === gate)?.status, gate).toBe(status);
    }
  });
});

it('the fixtures decide differently from one another', () => {
  const verdicts = new Set(
    [...results.values()].map(({ evaluation }) =>
      JSON.stringify(evaluation.decision.gates.map((g) => g.status)),
    ),
  );
  expect(verdicts.size).toBeGreaterThanOrEqual(FIXTURES.length - 2);
});

describe('the check can fail', () => {
  const gate = (status: string, reasons: unknown[] = []) => ({ status, reasons });
  const reason = (message: string) => ({
    code: 'violation',
    message,
    evidence: [{ file: 'security.yaml', pointer: '/cors' }],
  });
  const result = (gates: Record<string, unknown>) => ({ ok: true as const, result: { gates } });

  it('names a gate whose status differs, whose reasons differ, or that one engine lacks', () => {
    const wasm = result({
      'a.b': gate('pass'),
      'a.c': gate('fail', [reason('x'), reason('y')]),
      'a.d': gate('pass'),
    });
    const opa = result({ 'a.b': gate('fail', [reason('x')]), 'a.c': gate('fail', [reason('y')]) });
    const comparison = compareOutcomes(wasm, opa);
    expect(comparison.agree).toBe(false);
    expect(comparison.differences).toEqual([
      'gate a.b: policy.wasm says pass, opa eval says fail',
      expect.stringMatching(
        /^gate a\.b: reasons differ; only policy.wasm: \[\]; only opa eval: \[\{"code":"violation"/,
      ),
      expect.stringMatching(/^gate a\.c: reasons differ; only policy.wasm: \[\{.*"message":"x"/),
      'gate a.d: decided only by policy.wasm',
    ]);
  });

  it('ignores the order of reasons (Rego sets have none engines share), not their number', () => {
    expect(
      compareOutcomes(
        result({ g: gate('fail', [reason('x'), reason('y')]) }),
        result({ g: gate('fail', [reason('y'), reason('x')]) }),
      ).agree,
    ).toBe(true);
    expect(
      compareOutcomes(
        result({ g: gate('fail', [reason('x'), reason('x')]) }),
        result({ g: gate('fail', [reason('x')]) }),
      ).agree,
    ).toBe(false);
  });

  it('an engine that fails where the other decides disagrees; two failures agree', () => {
    expect(compareOutcomes({ ok: false, error: 'boom' }, result({})).differences).toEqual([
      'policy.wasm failed where the other engine decided: boom',
    ]);
    expect(compareOutcomes({ ok: false, error: 'a' }, { ok: false, error: 'b' }).agree).toBe(true);
    expect(compareOutcomes({ ok: true, result: undefined }, result({})).agree).toBe(false);
  });

  it('a Rego source edited after the build is caught on the gate it changes', async () => {
    const packDir = await copyPack();
    const source = join(packDir, 'policies/security/security.rego');
    const rego = await readFile(source, 'utf8');
    const edited = rego.replace(
      'gates["security.cors"] := lib.decide(["security"], cors_reasons)',
      'gates["security.cors"] := lib.decide(["security"], set())',
    );
    expect(edited).not.toBe(rego);
    await writeFile(source, edited);
    const tampered = await loadPack(packDir); // policy.wasm and the manifest are untouched, so it loads
    const evaluation = await evaluateEnvironment({
      env: 'staging',
      evidenceDir: join(REPO_ROOT, 'evidence/staging'),
      asOf: AS_OF,
      pack: tampered,
      repoRoot: REPO_ROOT,
    });
    const comparison = await crossCheckWithOpa(evaluation);
    expect(comparison.agree).toBe(false);
    expect(comparison.differences).toContain(
      'gate security.cors: policy.wasm says fail, opa eval says pass',
    );
  });
});

describe('the stand-alone opa eval command (docs/audit.md)', () => {
  it('is the documented one, and the input file is exactly what opa-wasm parses', async () => {
    const evaluation = results.get('the prod example')?.evaluation as Evaluation;
    expect(entrypointQuery('prodgate/decision')).toBe('data.prodgate.decision');
    expect(entrypointQuery('a/b-c')).toBe('data.a["b-c"]');
    expect(opaEvalArgs('policies', 'input.json', 'prodgate/decision')).toEqual([
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
      'input.json',
      'data.prodgate.decision',
    ]);
    const path = join(await makeTmp(), 'input.json');
    await writePolicyInput(path, evaluation.input);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(evaluation.input)}\n`);
    expect(text).toBe(policyInputFile(evaluation.input));
    expect(JSON.parse(text)).toMatchObject({ env: 'prod', as_of: AS_OF });
  });
});
