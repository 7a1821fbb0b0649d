// The observability gates and ops.slos decided from the prod example's configuration
// files: recorded facts, the routing join, fail-closed references, verify.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../../src/engine.ts';
import {
  AS_OF,
  cleanupTmp,
  copyEvidence,
  editYaml,
  makeTmp,
  REPO_ROOT,
  runCli,
} from '../../support/helpers.ts';

afterAll(cleanupTmp);

const evaluate = (dir: string) =>
  evaluateEnvironment({ env: 'prod', evidenceDir: dir, asOf: AS_OF, repoRoot: REPO_ROOT });

const gate = (e: Awaited<ReturnType<typeof evaluate>>, id: string) => {
  const g = e.decision.gates.find((x) => x.id === id);
  if (!g) throw new Error(`no gate ${id}`);
  return g;
};

const CONFIG_GATES = [
  'observability.otlp',
  'observability.dashboards.api',
  'observability.dashboards.datastores',
  'observability.dashboards.workflows',
  'observability.alerts.error-rate',
  'observability.alerts.latency',
  'observability.alerts.migrations',
  'observability.alerts.auth-sessions',
  'observability.alert-routing',
  'ops.slos',
];

async function editText(dir: string, file: string, edit: (t: string) => string): Promise<void> {
  const path = join(dir, file);
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

describe('prod decides the observability gates from configuration files', () => {
  it('every configuration gate passes, each fact recorded from its file', async () => {
    const evaluation = await evaluate(join(REPO_ROOT, 'evidence/prod'));
    for (const id of CONFIG_GATES) {
      const g = gate(evaluation, id);
      expect(g.status, `${id}: ${JSON.stringify(g.reasons)}`).toBe('pass');
      expect(g.facts?.length, id).toBeGreaterThan(0);
      for (const f of g.facts ?? []) expect(f.source, `${id} ${f.pointer}`).toBe('recorded');
    }
    const routed = gate(evaluation, 'observability.alerts.error-rate').facts?.[0];
    expect(routed?.artifact?.selector).toBe('the whole file, routed by alertmanager');
  });

  it('a claimed fact where prod needs a recorded one fails the gate', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'observability.yaml', (doc) => {
      doc.otlp.server = { traces: true, logs: true, metrics: true };
    });
    const g = gate(await evaluate(dir), 'observability.otlp');
    expect(g.status).toBe('fail');
    expect(g.reasons.map((r) => r.code)).toContain('claimed-fact');
  });

  it('an alert routed only to a receiver without integrations fails, located at the rule', async () => {
    const dir = await copyEvidence('prod');
    // The pager route now ends at the blackhole receiver, and stops there.
    await editText(dir, 'artifacts/config/alertmanager.yml', (t) =>
      t.replace(
        '- matchers: [\'severity="page"\']\n      receiver: oncall-pager\n      continue: true',
        '- matchers: [\'severity="page"\']\n      receiver: blackhole',
      ),
    );
    const e = await evaluate(dir);
    const g = gate(e, 'observability.alerts.error-rate');
    expect(g.status).toBe('fail');
    expect(g.reasons[0]?.message).toContain('ApiHighErrorRate ends at receiver(s) blackhole');
    expect(g.reasons[0]?.evidence[0]).toMatchObject({
      file: 'artifacts/config/alert-rules.yaml',
      line: 16,
    });
  });

  it('rules without routedBy, or routed by a file that is not Alertmanager, do not pass', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'observability.yaml', (doc) => {
      doc.alerts[0].recordedBy = { artifact: 'alert-rules' };
    });
    const unrouted = gate(await evaluate(dir), 'observability.alerts.latency');
    expect(unrouted.status).toBe('fail');
    expect(unrouted.reasons[0]?.message).toContain('not routed');
    await editYaml(dir, 'observability.yaml', (doc) => {
      doc.alerts[0].recordedBy = { artifact: 'alert-rules', routedBy: 'slos' };
    });
    const wrong = gate(await evaluate(dir), 'observability.alerts.latency');
    expect(wrong.status).toBe('error');
    expect(wrong.reasons[0]?.message).toContain('not an Alertmanager configuration');
  });

  it('an unparseable expression makes the alert gates error, located in the rule file', async () => {
    const dir = await copyEvidence('prod');
    await editText(dir, 'artifacts/config/alert-rules.yaml', (t) =>
      t.replace(
        'kube_job_status_failed{namespace="todox",',
        'kube_job_status_failed{namespace="todox",,',
      ),
    );
    const e = await evaluate(dir);
    for (const id of CONFIG_GATES.filter((g) => g.startsWith('observability.alerts.'))) {
      expect(gate(e, id).status, id).toBe('error');
    }
    const reason = gate(e, 'observability.alerts.migrations').reasons[0];
    expect(reason?.message).toContain('does not parse as PromQL');
    expect(reason?.evidence[0]).toMatchObject({
      file: 'artifacts/config/alert-rules.yaml',
      line: 42,
    });
  });

  it('a dashboard whose library panel cannot be resolved is an error, not a pass', async () => {
    const dir = await copyEvidence('prod');
    await editText(dir, 'artifacts/config/datastores.dashboard.json', (t) =>
      t.replace(
        '"panels": [',
        '"panels": [\n    { "title": "Shared", "libraryPanel": { "uid": "lp-redis", "name": "Redis" } },',
      ),
    );
    const g = gate(await evaluate(dir), 'observability.dashboards.datastores');
    expect(g.status).toBe('error');
    expect(g.reasons[0]?.message).toContain('library panel "Redis"');
  });

  it('a controlled alert captured more than 180 days before as-of is stale', async () => {
    const dir = await copyEvidence('prod');
    await editText(dir, 'artifacts/config/controlled-alert.webhook.json', (t) =>
      t.replaceAll('2026-11-16T', '2026-03-01T'),
    );
    const g = gate(await evaluate(dir), 'observability.alert-routing');
    expect(g.status).toBe('fail');
    expect(g.reasons.map((r) => r.code)).toContain('stale-evidence');
  });

  it('an SLO spec without a latency objective fails ops.slos', async () => {
    const dir = await copyEvidence('prod');
    await editText(dir, 'artifacts/config/slos.openslo.yaml', (t) =>
      t.split('\n---\n').slice(0, 2).join('\n---\n'),
    );
    const g = gate(await evaluate(dir), 'ops.slos');
    expect(g.status).toBe('fail');
    expect(g.reasons.map((r) => r.message)).toContain('no latency SLO is defined');
  });
});

describe('verify re-reads the configuration files', () => {
  it('names a changed Alertmanager configuration', async () => {
    const out = await makeTmp('prodgate-config-verify-');
    const dir = await copyEvidence('prod');
    const args = ['--evidence', dir, '--repo-root', REPO_ROOT];
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
      ...args,
    ]);
    expect(run.exitCode).toBe(0);
    const report = join(out, 'P4_PROD_READINESS_REPORT_prod.json');
    expect((await runCli(['verify', report, ...args])).exitCode).toBe(0);
    await editText(dir, 'artifacts/config/alertmanager.yml', (t) =>
      t.replace('#todox-alerts', '#todox-quiet'),
    );
    const changed = await runCli(['verify', report, ...args]);
    expect(changed.exitCode).toBe(1);
    expect(changed.stdout).toMatch(
      /artifact artifacts\/config\/alertmanager\.yml: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}/,
    );
  });
});
