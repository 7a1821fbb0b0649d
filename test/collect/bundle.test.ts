// The collect stage inside an evaluation: artifacts named by the evidence, recordedBy
// resolved, bad references and conflicts located, verify naming a changed artifact.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../src/engine.ts';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  editYaml,
  makeTmp,
  REPO_ROOT,
  runCli,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

afterAll(cleanupTmp);

const evaluate = (dir: string) =>
  evaluateEnvironment({ env: 'prod', evidenceDir: dir, asOf: AS_OF, repoRoot: REPO_ROOT });

describe('artifacts in an evaluation', () => {
  it('prod records its facts from the artifacts: input.recorded, provenance and facts side by side', async () => {
    const evaluation = await evaluate(join(REPO_ROOT, 'evidence/prod'));
    expect(evaluation.decision.verdict).toBe('GO');
    expect(evaluation.artifacts.map((a) => [a.id, a.path, a.format, a.valid])).toEqual([
      ['release-tests', 'artifacts/release-tests.junit.xml', 'junit', true],
      ['secret-scan', 'artifacts/gitleaks.sarif', 'sarif', true],
      ['alert-rules', 'artifacts/config/alert-rules.yaml', 'prometheusrule', true],
      ['alertmanager', 'artifacts/config/alertmanager.yml', 'alertmanager', true],
      ['controlled-alert', 'artifacts/config/controlled-alert.webhook.json', 'alert-receipt', true],
      ['api-dashboard', 'artifacts/config/api-overview.dashboard.json', 'grafana', true],
      ['datastores-dashboard', 'artifacts/config/datastores.dashboard.json', 'grafana', true],
      ['workflows-dashboard', 'artifacts/config/workflows.dashboard.json', 'grafana', true],
      ['server-deployment', 'artifacts/config/server-deployment.yaml', 'otel-env', true],
      ['slos', 'artifacts/config/slos.openslo.yaml', 'openslo', true],
    ]);
    expect(evaluation.input.recorded?.['security']?.['/secrets/secretScan']).toMatchObject({
      artifact: 'secret-scan',
      ran: true,
      openFindings: 0,
      revision: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
    });
    const facts =
      evaluation.decision.gates.find((g) => g.id === 'tenancy.isolation.embeddings')?.facts ?? [];
    expect(facts.length).toBe(5);
    expect(
      facts.every(
        (f) => f.source === 'recorded' && f.artifact?.path === 'artifacts/release-tests.junit.xml',
      ),
    ).toBe(true);
  });

  it('a recordedBy naming no listed artifact is a located error, and the gate reading it is error', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(
      dir,
      'tenancy.yaml',
      (d) => (d['isolationTests'][2].recordedBy.artifact = 'nope'),
    );
    const evaluation = await evaluate(dir);
    expect(evaluation.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'unknown-artifact',
        file: 'tenancy.yaml',
        pointer: '/isolationTests/2/recordedBy/artifact',
      }),
    );
    expect(
      evaluation.decision.gates.find((g) => g.id === 'tenancy.isolation.embeddings')?.status,
    ).toBe('error');
  });

  it('a revision in the evidence that contradicts the artifact is an error', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(
      dir,
      'artifacts.yaml',
      (d) => (d['artifacts'][1].revision = '2222222222222222222222222222222222222222'),
    );
    const evaluation = await evaluate(dir);
    expect(evaluation.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'revision-conflict', file: 'artifacts/gitleaks.sarif' }),
    );
    expect(evaluation.decision.gates.find((g) => g.id === 'security.secrets')?.status).toBe(
      'error',
    );
  });

  it('an artifact path out of the evidence folder is refused, and listed ids are unique', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'artifacts.yaml', (d) => {
      d['artifacts'][0].path = 'artifacts/../../outside.xml';
      d['artifacts'].splice(2, 0, { id: 'secret-scan', path: 'artifacts/gitleaks.sarif' });
    });
    const evaluation = await evaluate(dir);
    expect(evaluation.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unsafe-path', file: 'artifacts/../../outside.xml' }),
    );
    expect(evaluation.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unknown-artifact', pointer: '/artifacts/2/id' }),
    );
    expect(evaluation.decision.verdict).toBe('NO-GO');
  });

  it('in prod a claimed isolation test fails its gate (claimed-fact); in staging a claim is allowed', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(
      dir,
      'tenancy.yaml',
      (d) =>
        (d['isolationTests'][0] = {
          path: 'gmail-documents',
          name: 'typed in',
          revision: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
          date: '2026-11-19',
          outcome: 'passed',
        }),
    );
    await approveSignoffs(dir);
    const gate = (await evaluate(dir)).decision.gates.find(
      (g) => g.id === 'tenancy.isolation.gmail-documents',
    );
    expect(gate?.status).toBe('fail');
    expect(gate?.reasons).toContainEqual(
      expect.objectContaining({
        code: 'claimed-fact',
        evidence: [expect.objectContaining({ file: 'tenancy.yaml', pointer: '/isolationTests/0' })],
      }),
    );
    const staging = await evaluateEnvironment({
      env: 'staging',
      evidenceDir: join(REPO_ROOT, 'evidence/staging'),
      asOf: AS_OF,
      repoRoot: REPO_ROOT,
    });
    expect(
      staging.decision.gates.find((g) => g.id === 'tenancy.isolation.gmail-documents')?.status,
    ).toBe('pass');
  });
});

describe('verify re-reads the artifacts', () => {
  it('names a changed and a missing artifact', async () => {
    const out = await makeTmp('prodgate-collect-verify-');
    const dir = await copyEvidence('prod');
    expect(
      (
        await runCli([
          'evaluate',
          '--env',
          'prod',
          '--evidence',
          dir,
          '--as-of',
          AS_OF,
          '--out',
          out,
          '--no-ci-context',
          '--repo-root',
          REPO_ROOT,
        ])
      ).exitCode,
    ).toBe(0);
    const report = join(out, 'P4_PROD_READINESS_REPORT_prod.json');
    expect(
      (await runCli(['verify', report, '--evidence', dir, '--repo-root', REPO_ROOT])).exitCode,
    ).toBe(0);
    const xml = join(dir, 'artifacts/release-tests.junit.xml');
    await writeFile(xml, (await readFile(xml, 'utf8')).replace('<testcase', '<testcase file="x"'));
    const changed = await runCli(['verify', report, '--evidence', dir, '--repo-root', REPO_ROOT]);
    expect(changed.exitCode).toBe(1);
    expect(changed.stdout).toMatch(
      /artifact artifacts\/release-tests\.junit\.xml: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
    await cp(join(REPO_ROOT, 'evidence/prod/artifacts/release-tests.junit.xml'), xml);
    await writeFile(join(dir, 'artifacts/gitleaks.sarif'), '');
    const emptied = await runCli(['verify', report, '--evidence', dir, '--repo-root', REPO_ROOT]);
    expect(emptied.stdout).toMatch(/artifact artifacts\/gitleaks\.sarif/);
  });
});
