// The three example environments, evaluated by the built CLI.
import { findingCounts } from '../../src/render/formats/shared.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  ENVS,
  gateOf,
  makeTmp,
  manifestGates,
  readReport,
  REPO_ROOT,
  reportName,
  runCli,
  STACK_TRACE,
  type CliResult,
  type Env,
  type Report,
} from '../support/helpers.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

const EIGHT = [
  'observability',
  'ops',
  'release',
  'runbook',
  'security',
  'signoff',
  'tenancy',
  'topology',
];

const EXPECTED: Record<
  Env,
  {
    exit: number;
    verdict: 'GO' | 'NO-GO';
    failing: string[];
    waived: string[];
    kinds: string[];
    warnings: string[];
    artifacts?: string[];
  }
> = {
  prod: {
    exit: 0,
    verdict: 'GO',
    failing: [],
    waived: [],
    kinds: EIGHT,
    warnings: [],
    artifacts: [
      'artifacts/release-tests.junit.xml',
      'artifacts/gitleaks.sarif',
      // configuration files, rendered (docs/artifacts.md)
      'artifacts/config/alert-rules.yaml',
      'artifacts/config/alertmanager.yml',
      'artifacts/config/controlled-alert.webhook.json',
      'artifacts/config/api-overview.dashboard.json',
      'artifacts/config/datastores.dashboard.json',
      'artifacts/config/workflows.dashboard.json',
      'artifacts/config/server-deployment.yaml',
      'artifacts/config/slos.openslo.yaml',
    ],
  },
  pilot: { exit: 0, verdict: 'GO', failing: [], waived: [], kinds: EIGHT, warnings: [] },
  // staging shows a valid waiver (runbook.known-issues) and an expired one (observability.alert-routing, still failing).
  staging: {
    exit: 1,
    verdict: 'NO-GO',
    failing: [
      'security.cors',
      'tenancy.isolation',
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ],
    waived: ['runbook.known-issues'],
    kinds: [...EIGHT, 'waivers'],
    warnings: ['waiver-expired'],
    artifacts: ['artifacts/release-tests.junit.xml', 'config/release.yml'],
  },
};

const runs = {} as Record<Env, CliResult & { outDir: string; report: Report }>;
let validateReport: ReturnType<Ajv2020['compile']>;
let gateIds: string[];

beforeAll(async () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  validateReport = ajv.compile(
    JSON.parse(await readFile(join(REPO_ROOT, 'schemas/report.v1.schema.json'), 'utf8')),
  );
  gateIds = (await manifestGates()).map((g) => g.id);
  await Promise.all(
    ENVS.map(async (env) => {
      const outDir = await makeTmp(`prodgate-example-${env}-`);
      const run = await runCli(['evaluate', '--env', env, '--as-of', AS_OF, '--out', outDir]);
      runs[env] = {
        ...run,
        outDir,
        report: await readReport(outDir, env).catch(() => ({}) as Report),
      };
    }),
  );
});
afterAll(cleanupTmp);

describe.each(ENVS)('prodgate evaluate --env %s', (env) => {
  it('exits with the expected code and prints no error', () => {
    const run = runs[env];
    expect(run.exitCode, run.stderr).toBe(EXPECTED[env].exit);
    expect(run.stderr).toBe('');
  });

  it('prints the verdict summary and the written files on stdout', () => {
    const { stdout, outDir, report } = runs[env];
    const c = findingCounts(report.gates);
    const through = c.throughItems
      ? ` (and ${c.throughItems} parent gate${c.throughItems === 1 ? '' : 's'} failing through these)`
      : '';
    expect(stdout.split('\n')[0]).toBe(
      `${env} (as of ${AS_OF}): ${EXPECTED[env].verdict} — ${c.fail} fail, ${c.error} error, ${c.waived} waived, ${c.pass} pass, ${c.na} n/a${through}`,
    );
    expect(stdout).toContain(
      `wrote 2 file(s) to ${outDir}: ${checklistName(env)}, ${reportName(env)}\n`,
    );
    for (const id of EXPECTED[env].failing.filter((g) => g !== 'tenancy.isolation')) {
      // located in an evidence file (file:line:col /pointer) or, for a recorded fact, in its artifact (file:line:col)
      expect(stdout).toMatch(
        new RegExp(
          `\\n  FAIL +${id.replace(/\./g, '\\.')}: .+ \\((\\S+\\.yaml:\\d+:\\d+ /\\S*|(?:artifacts|config)/\\S+:\\d+:\\d+, .*)\\)\\n`,
        ),
      );
    }
  });

  it('writes exactly the checklist and the report', async () => {
    expect((await readdir(runs[env].outDir)).sort()).toEqual(
      [checklistName(env), reportName(env)].sort(),
    );
  });

  it('writes a report that validates against schemas/report.v1.schema.json', () => {
    const valid = validateReport(runs[env].report);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('reports every gate of the bundle once, with the expected verdict and failing gates', () => {
    const { report } = runs[env];
    expect(report.environment).toBe(env);
    expect(report.asOf).toBe(AS_OF);
    expect(report.verdict).toBe(EXPECTED[env].verdict);
    expect(report.gates.map((g) => g.id).sort()).toEqual([...gateIds].sort());
    const failing = report.gates
      .filter((g) => g.status === 'fail' || g.status === 'error')
      .map((g) => g.id);
    expect(failing.sort()).toEqual([...EXPECTED[env].failing].sort());
    expect(report.gates.filter((g) => g.status === 'error')).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.gates.filter((g) => g.status === 'waived').map((g) => g.id)).toEqual(
      EXPECTED[env].waived,
    );
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(
      EXPECTED[env].warnings.map((code) => `warning ${code}`),
    );
    const counted = { pass: 0, fail: 0, na: 0, waived: 0, error: 0 } as Record<string, number>;
    for (const g of report.gates) counted[g.status] = (counted[g.status] ?? 0) + 1;
    expect(report.counts).toEqual(counted);
    for (const g of report.gates.filter((x) => x.status === 'na' || x.status === 'fail')) {
      expect(g.reasons.length, g.id).toBeGreaterThan(0);
    }
  });

  it('lists the evidence files (the eight kinds, and staging its waivers) and the artifacts they name, all valid', () => {
    const { report } = runs[env];
    const artifacts = EXPECTED[env].artifacts ?? [];
    expect(report.evidence.files.map((f) => [f.path, f.kind, f.valid])).toEqual([
      ...(artifacts.length ? [['artifacts.yaml', 'artifacts', true]] : []),
      ...EXPECTED[env].kinds.map((k) => [`${k}.yaml`, k, true]),
      ...artifacts.map((a) => [a, null, true]),
    ]);
  });

  it('writes a checklist with the verdict and one status per gate', async () => {
    const md = await readFile(join(runs[env].outDir, checklistName(env)), 'utf8');
    expect(md).toContain(
      `> **Verdict: ${EXPECTED[env].verdict}** · environment \`${env}\` · as of ${AS_OF}`,
    );
    for (const id of gateIds) {
      const count = md.split(`\`${id}\``).length - 1;
      expect(count, id).toBeGreaterThanOrEqual(1);
    }
    for (const id of EXPECTED[env].failing) expect(md).toContain(`**FAIL** \`${id}\``);
  });

  it('never prints a stack trace', () => {
    expect(runs[env].stderr).not.toMatch(STACK_TRACE);
  });
});

describe('example details', () => {
  it('staging fails exactly for the documented reasons, located in the evidence', () => {
    const { report } = runs.staging;
    const cors = gateOf(report, 'security.cors');
    expect(cors.reasons[0]?.message).toMatch(/wildcard origin together with allowCredentials/);
    expect(cors.reasons[0]?.evidence[0]).toEqual({
      file: 'security.yaml',
      pointer: '/cors/trustedOrigins/1',
      line: 25,
      column: 7,
    });
    // recorded from the JUnit report: the skipped test, at its line there
    const skipped = gateOf(report, 'tenancy.isolation.embeddings').reasons[0];
    expect(skipped?.message).toMatch(
      /\[org-iso:embeddings\] vector search .* was skipped, which is not a pass/,
    );
    expect(skipped?.evidence[0]).toEqual({
      file: 'artifacts/release-tests.junit.xml',
      pointer: '',
      line: 8,
      column: 10,
    });
    expect(gateOf(report, 'tenancy.isolation').reasons).toEqual([
      expect.objectContaining({
        code: 'child-status',
        message: 'tenancy.isolation.embeddings is fail',
      }),
    ]);
    expect(gateOf(report, 'observability.alert-routing').reasons[0]?.evidence[0]?.pointer).toBe(
      '/routing/controlledTest/received',
    );
    const knownIssues = gateOf(report, 'runbook.known-issues');
    expect(knownIssues.status).toBe('waived');
    // A violation of present evidence (the link is there, but plain http) is what a waiver
    // may cover; a link to a file that does not exist would be missing evidence.
    expect(knownIssues.reasons.map((r) => `${r.code}: ${r.message}`)).toEqual([
      expect.stringMatching(
        /^waived: waived by Priya Raman until 2026-12-15 \(covers 1 violation\)/,
      ),
      'violation: link "http://wiki.todox.example/staging/known-issues" is not usable: a URL must be https, not http',
    ]);
    expect(knownIssues.waiver).toMatchObject({ approver: 'Priya Raman', expires: '2026-12-15' });
    expect(report.diagnostics[0]).toMatchObject({
      file: 'waivers.yaml',
      code: 'waiver-expired',
      pointer: '/waivers/1/expires',
    });
  });

  it('prod is single-node: the cluster gates are n/a and the single-node gates pass', () => {
    const { report } = runs.prod;
    for (const id of [
      'topology.cluster',
      'topology.cluster.table-prefixing',
      'topology.cluster.concurrency-limits',
      'topology.cluster.idempotency',
    ]) {
      expect(gateOf(report, id).status, id).toBe('na');
    }
    expect(gateOf(report, 'topology.single-node').status).toBe('pass');
    expect(gateOf(report, 'topology.single-node.failure-mode').status).toBe('pass');
    expect(report.counts).toEqual({ pass: 50, fail: 0, na: 4, waived: 0, error: 0 });
  });

  it('pilot is an MVP: the security sign-off is n/a with its rationale', () => {
    const { report } = runs.pilot;
    const signoff = gateOf(report, 'signoff.security');
    expect(signoff.status).toBe('na');
    expect(signoff.reasons[0]?.message).toMatch(/MVP/);
    expect(gateOf(report, 'observability.dashboards.workflows').status).toBe('na');
  });
});
