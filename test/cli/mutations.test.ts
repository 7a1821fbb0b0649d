// Mutation tests: for every gate, an evidence change on a copy of the prod example that
// must flip the gate from pass (or n/a) to fail (or error). One mutation per CLI run.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTmp,
  copyEvidence,
  editYaml,
  evaluateDir,
  gateOf,
  inBatches,
  manifestGates,
  REPO_ROOT,
  STACK_TRACE,
  type CliResult,
  type Report,
} from '../support/helpers.ts';

type Doc = Record<string, any>;

interface Mutation {
  /** The gate that must flip. */
  gate: string;
  /** What the change is, for the test name. */
  change: string;
  file: string;
  /** A change to the parsed YAML file; or, for an artifact, `edit` of its text. */
  mutate?(doc: Doc): void;
  edit?(text: string): string;
  /** The status it must flip to (default fail). */
  expected?: 'fail' | 'error';
  /** Other gates whose status this mutation must also set. */
  also?: Record<string, 'fail' | 'error' | 'na' | 'pass'>;
}

const CLUSTER = {
  tablePrefixing: {
    implemented: true,
    documentation: 'evidence/docs/ops/cluster-table-prefixing.md',
  },
  concurrencyLimits: { workers: 3, maxConcurrentJobs: 8 },
  idempotency: { documentation: 'evidence/docs/ops/idempotency.md' },
};

/** multi-node with a complete cluster block, then `edit` applied to the cluster block. */
function multiNode(edit: (cluster: Doc) => void): (doc: Doc) => void {
  return (doc) => {
    doc['decision'] = 'multi-node';
    const cluster = structuredClone(CLUSTER) as Doc;
    edit(cluster);
    doc['cluster'] = cluster;
  };
}

const REPORT = 'artifacts/release-tests.junit.xml';
const SCAN = 'artifacts/gitleaks.sarif';

/** A JUnit report with the first test whose name holds `text` given a result element, counted in its suite. */
function markTest(text: string, element: 'failure' | 'error' | 'skipped'): (xml: string) => string {
  const counter = { failure: 'failures', error: 'errors', skipped: 'skipped' }[element];
  return (xml) => {
    const close = xml.indexOf('</testcase>', xml.indexOf(text));
    const marked = `${xml.slice(0, close)}    <${element}/>\n        ${xml.slice(close)}`;
    return marked.replace(
      new RegExp(`(<testsuites? [^>]*${counter}=")(\\d+)"`, 'g'),
      (_, head: string, n: string) => `${head}${Number(n) + 1}"`,
    );
  };
}

/** A SARIF log changed as JSON. */
function sarif(change: (log: Doc) => void): (text: string) => string {
  return (text) => {
    const log = JSON.parse(text) as Doc;
    change(log);
    return JSON.stringify(log);
  };
}

const MUTATIONS: Mutation[] = [
  // release
  {
    gate: 'release.metadata',
    change: 'environment staging',
    file: 'release.yaml',
    mutate: (d) => (d['environment'] = 'staging'),
  },
  {
    gate: 'release.scope',
    change: 'a non-goal dropped',
    file: 'release.yaml',
    mutate: (d) => d['scope'].nonGoals.splice(1, 1),
  },

  // security
  {
    gate: 'security.pii-logging',
    change: 'the recorded verification test failed',
    file: REPORT,
    edit: markTest('[verify:log-redaction]', 'failure'),
  },
  {
    gate: 'security.secrets',
    change: 'a finding in the recorded scan',
    file: SCAN,
    edit: sarif((l) =>
      l['runs'][0].results.push({
        ruleId: 'github-pat',
        message: { text: 'token' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'scripts/release.sh' },
              region: { startLine: 4 },
            },
          },
        ],
      }),
    ),
  },
  {
    gate: 'security.cors',
    change: 'a "*" origin',
    file: 'security.yaml',
    mutate: (d) => d['cors'].trustedOrigins.push('*'),
  },
  {
    gate: 'security.disclaimer',
    change: 'a summary surface without disclaimer',
    file: 'security.yaml',
    mutate: (d) => (d['disclaimer'].surfaces[1].disclaimerPresent = false),
  },
  {
    gate: 'security.audit',
    change: 'evidence access not logged (child)',
    file: 'security.yaml',
    mutate: (d) => (d['audit'].evidenceAccess.logged = false),
    also: { 'security.audit.evidence-access': 'fail' },
  },
  {
    gate: 'security.audit.evidence-access',
    change: '"when" not recorded',
    file: 'security.yaml',
    mutate: (d) => (d['audit'].evidenceAccess.recordedFields = ['who', 'what']),
  },
  {
    gate: 'security.audit.claim-evidence-link',
    change: 'link not persisted',
    file: 'security.yaml',
    mutate: (d) => (d['audit'].claimEvidenceLink.persisted = false),
  },
  {
    gate: 'security.retention',
    change: 'erasure documented over http (child)',
    file: 'security.yaml',
    mutate: (d) => (d['retention'].erasure.documentation = 'http://wiki.todox.example/erasure'),
    also: { 'security.retention.erasure': 'fail' },
  },
  {
    gate: 'security.retention.windows',
    change: 'a window that is no duration (schema)',
    file: 'security.yaml',
    mutate: (d) => (d['retention'].windows.meetingPrep = 'forever'),
    expected: 'error',
  },
  {
    gate: 'security.retention.erasure',
    change: 'erasure document missing',
    file: 'security.yaml',
    mutate: (d) =>
      (d['retention'].erasure.documentation = 'evidence/docs/security/no-such-erasure.md'),
  },

  // tenancy
  {
    gate: 'tenancy.isolation',
    change: 'a failed isolation test (child)',
    file: REPORT,
    edit: markTest('[org-iso:gmail-documents]', 'failure'),
    also: { 'tenancy.isolation.gmail-documents': 'fail' },
  },
  {
    gate: 'tenancy.isolation.gmail-documents',
    change: 'test failed in the report',
    file: REPORT,
    edit: markTest('[org-iso:gmail-documents]', 'failure'),
  },
  {
    gate: 'tenancy.isolation.knowledge-queries',
    change: 'test skipped in the report',
    file: REPORT,
    edit: markTest('[org-iso:knowledge-queries]', 'skipped'),
  },
  {
    gate: 'tenancy.isolation.embeddings',
    change: 'a tag no test carries',
    file: 'tenancy.yaml',
    mutate: (d) => (d['isolationTests'][2].recordedBy.tag = 'org-iso:nothing'),
  },
  {
    gate: 'tenancy.isolation.evidence-listing',
    change: 'test ended in an error in the report',
    file: REPORT,
    edit: markTest('[org-iso:evidence-listing]', 'error'),
  },
  {
    gate: 'tenancy.isolation.meeting-prep',
    change: 'no test for the path',
    file: 'tenancy.yaml',
    mutate: (d) => d['isolationTests'].splice(4, 1),
  },
  {
    gate: 'tenancy.no-shared-scope',
    change: 'org-agnostic cache without reason',
    file: 'tenancy.yaml',
    mutate: (d) => delete d['sharedScope'].caches[1].orgAgnosticReason,
  },
  {
    gate: 'tenancy.org-scoping',
    change: 'an RPC without query scoping',
    file: 'tenancy.yaml',
    mutate: (d) => (d['orgScoping'].rpcs[2].queryScoped = false),
  },

  // ops
  {
    gate: 'ops.migrations',
    change: 'not serialized',
    file: 'ops.yaml',
    mutate: (d) => (d['migrations'].serialized = false),
  },
  {
    gate: 'ops.backups',
    change: 'restore procedure missing (child)',
    file: 'ops.yaml',
    mutate: (d) => (d['backups'].restore.procedure = 'evidence/docs/ops/no-such-restore.md'),
    also: { 'ops.backups.restore': 'fail' },
  },
  {
    gate: 'ops.backups.automated',
    change: 'a data store without automated backups',
    file: 'ops.yaml',
    mutate: (d) => (d['backups'].datastores[0].automated = false),
  },
  {
    gate: 'ops.backups.restore',
    change: 'restore estimate above the RTO',
    file: 'ops.yaml',
    mutate: (d) => (d['backups'].restore.estimate = '12h'),
  },
  {
    gate: 'ops.dr',
    change: 'RPO below the backup interval (child)',
    file: 'ops.yaml',
    mutate: (d) => (d['dr'].rpo = '30m'),
    also: { 'ops.dr.rpo-rto': 'fail' },
  },
  {
    gate: 'ops.dr.rpo-rto',
    change: 'backup interval above the RPO',
    file: 'ops.yaml',
    mutate: (d) => (d['backups'].datastores[0].interval = '6h'),
  },
  {
    gate: 'ops.dr.tabletop',
    change: 'tabletop of 2025-01-01 (too old for prod)',
    file: 'ops.yaml',
    mutate: (d) => (d['dr'].tabletop.date = '2025-01-01'),
  },
  {
    gate: 'ops.secrets-manager',
    change: 'a plain-file secret in prod',
    file: 'ops.yaml',
    mutate: (d) => d['secretsManager'].plainFileSecrets.push('config/server.env'),
  },
  {
    gate: 'ops.slos',
    change: 'latency SLO not on /knowledge (OpenSLO queries)',
    file: 'artifacts/config/slos.openslo.yaml',
    edit: (t) => t.replaceAll('route=~"/knowledge/.*"', 'route=~"/api/health"'),
  },

  // observability
  {
    gate: 'observability.otlp',
    change: 'server metrics exported to the console (Deployment OTEL_METRICS_EXPORTER)',
    file: 'artifacts/config/server-deployment.yaml',
    edit: (t) => t.replace(/(OTEL_METRICS_EXPORTER\n\s+value: )otlp/, '$1console'),
  },
  {
    gate: 'observability.dashboards',
    change: 'no panel reads API latency (child; dashboard JSON)',
    file: 'artifacts/config/api-overview.dashboard.json',
    edit: (t) =>
      t.replaceAll('http_request_duration_seconds_bucket', 'http_request_size_bytes_bucket'),
    also: { 'observability.dashboards.api': 'fail' },
  },
  {
    gate: 'observability.dashboards.api',
    change: 'no panel reads API errors (dashboard JSON)',
    file: 'artifacts/config/api-overview.dashboard.json',
    edit: (t) => t.replaceAll('http_requests_total', 'http_requests_in_flight'),
  },
  {
    gate: 'observability.dashboards.datastores',
    change: 'no panel reads Redis (dashboard JSON)',
    file: 'artifacts/config/datastores.dashboard.json',
    edit: (t) => t.replaceAll('redis_', 'memcached_'),
  },
  {
    gate: 'observability.dashboards.workflows',
    change: 'workflow dashboard removed',
    file: 'observability.yaml',
    mutate: (d) => d['dashboards'].splice(2, 1),
  },
  {
    gate: 'observability.alerts',
    change: 'the platform receiver loses its Slack integration (child; Alertmanager)',
    file: 'artifacts/config/alertmanager.yml',
    edit: (t) => t.replace(/ {4}slack_configs:\n(?: {6}.*\n)+/, ''),
    also: { 'observability.alerts.migrations': 'fail' },
  },
  {
    gate: 'observability.alerts.error-rate',
    change: 'routed to a receiver with no integration (rule severity info)',
    file: 'artifacts/config/alert-rules.yaml',
    edit: (t) => t.replace(/(ApiHighErrorRate[\s\S]*?severity: )page/, '$1info'),
  },
  {
    gate: 'observability.alerts.latency',
    change: 'latency alert removed from the PrometheusRule',
    file: 'artifacts/config/alert-rules.yaml',
    edit: (t) => t.replace(/ {8}- alert: ApiElevatedLatency\n(?: {10}.*\n)+/, ''),
  },
  {
    gate: 'observability.alerts.migrations',
    change: 'the migrations alert renamed to a generic job alert',
    file: 'artifacts/config/alert-rules.yaml',
    edit: (t) => t.replace('alert: MigrationJobFailed', 'alert: KubeJobFailed'),
  },
  {
    gate: 'observability.alerts.auth-sessions',
    change: 'the session alert reads login counts instead of failures',
    file: 'artifacts/config/alert-rules.yaml',
    edit: (t) =>
      t
        .replace('alert: AuthRedisSessionFailures', 'alert: AuthLoginsLow')
        .replace('auth_session_failures_total{store="redis"}', 'auth_logins_total'),
  },
  {
    gate: 'observability.alert-routing',
    change: 'the captured controlled alert is resolved, not firing',
    file: 'artifacts/config/controlled-alert.webhook.json',
    edit: (t) => t.replaceAll('"status": "firing"', '"status": "resolved"'),
  },

  // topology
  {
    gate: 'topology.decision',
    change: 'decision "hybrid" (schema)',
    file: 'topology.yaml',
    mutate: (d) => (d['decision'] = 'hybrid'),
    expected: 'error',
  },
  {
    gate: 'topology.cluster',
    change: 'multi-node without a cluster block',
    file: 'topology.yaml',
    mutate: (d) => (d['decision'] = 'multi-node'),
    also: {
      'topology.cluster.table-prefixing': 'fail',
      'topology.cluster.concurrency-limits': 'fail',
      'topology.cluster.idempotency': 'fail',
      'topology.single-node': 'na',
      'topology.single-node.failure-mode': 'na',
    },
  },
  {
    gate: 'topology.cluster.table-prefixing',
    change: 'multi-node, prefixing not implemented',
    file: 'topology.yaml',
    mutate: multiNode((c) => (c['tablePrefixing'].implemented = false)),
    also: { 'topology.cluster.concurrency-limits': 'pass', 'topology.cluster.idempotency': 'pass' },
  },
  {
    gate: 'topology.cluster.concurrency-limits',
    change: 'multi-node, no concurrency limits',
    file: 'topology.yaml',
    mutate: multiNode((c) => delete c['concurrencyLimits']),
    also: { 'topology.cluster.table-prefixing': 'pass' },
  },
  {
    gate: 'topology.cluster.idempotency',
    change: 'multi-node, idempotency document missing',
    file: 'topology.yaml',
    mutate: multiNode(
      (c) => (c['idempotency'].documentation = 'evidence/docs/ops/no-such-idempotency.md'),
    ),
    also: { 'topology.cluster.table-prefixing': 'pass' },
  },
  {
    gate: 'topology.single-node',
    change: 'single-node without its block (child)',
    file: 'topology.yaml',
    mutate: (d) => delete d['singleNode'],
    also: { 'topology.single-node.failure-mode': 'fail' },
  },
  {
    gate: 'topology.single-node.failure-mode',
    change: 'blank restart behaviour',
    file: 'topology.yaml',
    mutate: (d) => (d['singleNode'].failureMode.restartBehavior = '   '),
  },

  // runbook
  {
    gate: 'runbook.primary',
    change: 'an http link',
    file: 'runbook.yaml',
    mutate: (d) => (d['primary'] = 'http://wiki.todox.example/runbook'),
  },
  {
    gate: 'runbook.rollback',
    change: 'a link leaving the repository',
    file: 'runbook.yaml',
    mutate: (d) => (d['rollback'] = '../outside/rollback.md'),
  },
  {
    gate: 'runbook.backup-restore',
    change: 'an absolute path',
    file: 'runbook.yaml',
    mutate: (d) => (d['backupRestore'] = '/etc/passwd'),
  },
  {
    gate: 'runbook.known-issues',
    change: 'a file that does not exist',
    file: 'runbook.yaml',
    mutate: (d) => (d['knownIssues'] = 'evidence/docs/runbooks/known-issues-prod.md'),
  },

  // signoff
  {
    gate: 'signoff.product',
    change: 'signed after as-of',
    file: 'signoff.yaml',
    mutate: (d) => (d['product'].date = '2026-12-01'),
  },
  {
    gate: 'signoff.engineering',
    change: 'sign-off missing',
    file: 'signoff.yaml',
    mutate: (d) => delete d['engineering'],
  },
  {
    gate: 'signoff.security',
    change: 'notApplicable in a non-MVP release',
    file: 'signoff.yaml',
    mutate: (d) => (d['security'] = { notApplicable: true, rationale: 'we are in a hurry' }),
  },
];

/** More ways to break some gates: each must flip it too. */
const EXTRA: Mutation[] = [
  {
    gate: 'security.cors',
    change: 'the null origin in prod',
    file: 'security.yaml',
    mutate: (d) => d['cors'].trustedOrigins.push('null'),
  },
  {
    gate: 'security.cors',
    change: 'an http origin in prod',
    file: 'security.yaml',
    mutate: (d) => (d['cors'].trustedOrigins[0] = 'http://app.todox.example'),
  },
  {
    gate: 'security.cors',
    change: 'a subdomain wildcard in prod',
    file: 'security.yaml',
    mutate: (d) => (d['cors'].trustedOrigins[0] = 'https://*.todox.example'),
  },
  {
    gate: 'release.metadata',
    change: 'a short revision',
    file: 'release.yaml',
    mutate: (d) => (d['revision'] = '3f9c2a7'),
  },
  {
    gate: 'release.metadata',
    change: 'released after as-of',
    file: 'release.yaml',
    mutate: (d) => (d['date'] = '2026-11-26'),
  },
  {
    gate: 'release.scope',
    change: 'a non-goal in scope',
    file: 'release.yaml',
    mutate: (d) => d['scope'].inScope.push('Calendar sync'),
  },
  {
    gate: 'security.secrets',
    change: 'the scan ran on another revision',
    file: SCAN,
    edit: sarif(
      (l) =>
        (l['runs'][0].versionControlProvenance[0].revisionId =
          '1111111111111111111111111111111111111111'),
    ),
  },
  {
    gate: 'security.secrets',
    change: 'the scan does not show a successful run',
    file: SCAN,
    edit: sarif((l) => (l['runs'][0].invocations[0].executionSuccessful = false)),
  },
  {
    gate: 'security.secrets',
    change: 'claimed, not recorded, in prod',
    file: 'security.yaml',
    mutate: (d) =>
      (d['secrets'].secretScan = {
        tool: 'gitleaks 8.30',
        revision: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
        date: '2026-11-19',
        openFindings: 0,
      }),
  },
  {
    gate: 'tenancy.isolation.meeting-prep',
    change: 'a report of another revision',
    file: 'artifacts.yaml',
    mutate: (d) => (d['artifacts'][0].revision = '0000000000000000000000000000000000000000'),
  },
  {
    gate: 'tenancy.isolation.knowledge-queries',
    change: 'a DOCTYPE in the report (error)',
    file: REPORT,
    edit: (x) => x.replace('<testsuites', '<!DOCTYPE testsuites>\n<testsuites'),
    expected: 'error',
  },
  {
    gate: 'tenancy.isolation.gmail-documents',
    change: 'suite counters that disagree with the cases (error)',
    file: REPORT,
    edit: (x) => x.replace(/(<testsuite [^>]*)failures="0"/, '$1failures="1"'),
    expected: 'error',
  },
  {
    gate: 'security.audit.evidence-access',
    change: 'the report is missing (error)',
    file: REPORT,
    edit: () => '',
    expected: 'error',
  },
  {
    gate: 'observability.otlp',
    change: 'client logs not exported while a client is released',
    file: 'observability.yaml',
    mutate: (d) => (d['otlp'].client.logs = false),
  },
  {
    gate: 'ops.dr.tabletop',
    change: 'tabletop after as-of',
    file: 'ops.yaml',
    mutate: (d) => (d['dr'].tabletop.date = '2026-11-30'),
  },
  {
    gate: 'signoff.security',
    change: 'signed after as-of',
    file: 'signoff.yaml',
    mutate: (d) => (d['security'].date = '2027-01-01'),
  },
];

interface Outcome extends CliResult {
  report: Report;
  changed: boolean;
}

const ALL = [...MUTATIONS, ...EXTRA];
const outcomes = new Map<Mutation, Outcome>();
let baseline: Report;
let catalog: { id: string; parent?: string }[];

beforeAll(async () => {
  catalog = await manifestGates();
  const jobs: (Mutation | 'baseline')[] = ['baseline', ...ALL];
  await inBatches(jobs, 4, async (job) => {
    const dir = await copyEvidence('prod');
    if (job === 'baseline') {
      baseline = (await evaluateDir(dir, 'prod')).report;
      return;
    }
    const before = await readFile(join(dir, job.file), 'utf8');
    if (job.edit) await writeFile(join(dir, job.file), job.edit(before));
    else await editYaml(dir, job.file, job.mutate as (doc: Doc) => void);
    const changed = (await readFile(join(dir, job.file), 'utf8')) !== before;
    const run = await evaluateDir(dir, 'prod');
    outcomes.set(job, { ...run, changed });
  });
}, 180_000);
afterAll(cleanupTmp);

describe('mutations of the prod evidence', () => {
  it('start from a GO baseline where every gate passes or is n/a', () => {
    expect(baseline.verdict).toBe('GO');
    for (const g of baseline.gates) expect(['pass', 'na'], g.id).toContain(g.status);
  });

  it('cover every gate of the bundle', () => {
    const covered = new Set(MUTATIONS.map((m) => m.gate));
    expect([...covered].sort()).toEqual(catalog.map((g) => g.id).sort());
    expect(MUTATIONS).toHaveLength(catalog.length);
  });

  it.each(ALL.map((m) => [m.gate, m.change, m] as const))(
    '%s flips on: %s',
    (gate, _change, mutation) => {
      const outcome = outcomes.get(mutation) as Outcome;
      expect(outcome.changed, 'the mutation must change the file').toBe(true);
      expect(outcome.stderr).toBe('');
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.report.verdict).toBe('NO-GO');
      expect(['pass', 'na'], 'baseline status').toContain(gateOf(baseline, gate).status);

      const verdict = gateOf(outcome.report, gate);
      expect(verdict.status, JSON.stringify(verdict.reasons)).toBe(mutation.expected ?? 'fail');
      const first = verdict.reasons[0];
      expect(first, 'a failing gate has a reason').toBeDefined();
      const ref = first?.evidence[0];
      // An evidence file and pointer, or (for a recorded fact) the artifact's file, line and column.
      expect(ref?.file, JSON.stringify(first)).toMatch(
        /^([a-z]+\.yaml|artifacts\/(config\/)?[\w.-]+)$/,
      );
      if (!ref?.file.startsWith('artifacts/'))
        expect(ref?.pointer, JSON.stringify(first)).toMatch(/^\/\S+/);
      expect(typeof ref?.line).toBe('number');
      expect(typeof ref?.column).toBe('number');

      for (const [other, status] of Object.entries(mutation.also ?? {})) {
        expect(gateOf(outcome.report, other).status, other).toBe(status);
      }
      // A parent is never better than the gate that flipped.
      const parent = catalog.find((g) => g.id === gate)?.parent;
      if (parent)
        expect(['fail', 'error'], parent).toContain(gateOf(outcome.report, parent).status);
      // The stdout summary names the gate (a parent failing only through a child is left out).
      expect(outcome.stdout).toMatch(/^prod \(as of 2026-11-25\): NO-GO — /);
      const isParent = catalog.some((g) => g.parent === gate);
      if (!isParent) {
        const label = (mutation.expected ?? 'fail').toUpperCase();
        expect(outcome.stdout).toContain(`\n  ${label.padEnd(6)} ${gate}: `);
      }
    },
  );

  it('a schema-invalid mutation leaves the other kinds evaluated', () => {
    const outcome = outcomes.get(
      MUTATIONS.find((m) => m.gate === 'topology.decision') as Mutation,
    ) as Outcome;
    expect(gateOf(outcome.report, 'release.metadata').status).toBe('pass');
    expect(gateOf(outcome.report, 'security.cors').status).toBe('pass');
    expect(outcome.report.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'schema-violation',
        file: 'topology.yaml',
        pointer: '/decision',
      }),
    ]);
  });
});

it('the repository root used for links is the one holding package.json', async () => {
  expect(JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('prodgate');
});
