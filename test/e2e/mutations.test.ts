// Mutation tests: for every gate, an evidence change on a copy of the prod example that
// must flip the gate from pass (or n/a) to fail (or error). One mutation per CLI run.
import { readFile } from 'node:fs/promises';
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
} from '../helpers.ts';

type Doc = Record<string, any>;

interface Mutation {
  /** The gate that must flip. */
  gate: string;
  /** What the change is, for the test name. */
  change: string;
  file: string;
  mutate(doc: Doc): void;
  /** The status it must flip to (default fail). */
  expected?: 'fail' | 'error';
  /** Other gates whose status this mutation must also set. */
  also?: Record<string, 'fail' | 'error' | 'na' | 'pass'>;
}

const CLUSTER = {
  tablePrefixing: { implemented: true, documentation: 'evidence/docs/ops/cluster-table-prefixing.md' },
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

const MUTATIONS: Mutation[] = [
  // release
  { gate: 'release.metadata', change: 'environment staging', file: 'release.yaml', mutate: (d) => (d['environment'] = 'staging') },
  { gate: 'release.scope', change: 'a non-goal dropped', file: 'release.yaml', mutate: (d) => d['scope'].nonGoals.splice(1, 1) },

  // security
  { gate: 'security.pii-logging', change: 'verification failed', file: 'security.yaml', mutate: (d) => (d['piiLogging'].verification.outcome = 'failed') },
  { gate: 'security.secrets', change: 'open secret-scan findings', file: 'security.yaml', mutate: (d) => (d['secrets'].secretScan.openFindings = 3) },
  { gate: 'security.cors', change: 'a "*" origin', file: 'security.yaml', mutate: (d) => d['cors'].trustedOrigins.push('*') },
  { gate: 'security.disclaimer', change: 'a summary surface without disclaimer', file: 'security.yaml', mutate: (d) => (d['disclaimer'].surfaces[1].disclaimerPresent = false) },
  { gate: 'security.audit', change: 'evidence access not logged (child)', file: 'security.yaml', mutate: (d) => (d['audit'].evidenceAccess.logged = false), also: { 'security.audit.evidence-access': 'fail' } },
  { gate: 'security.audit.evidence-access', change: '"when" not recorded', file: 'security.yaml', mutate: (d) => (d['audit'].evidenceAccess.recordedFields = ['who', 'what']) },
  { gate: 'security.audit.claim-evidence-link', change: 'link not persisted', file: 'security.yaml', mutate: (d) => (d['audit'].claimEvidenceLink.persisted = false) },
  { gate: 'security.retention', change: 'erasure documented over http (child)', file: 'security.yaml', mutate: (d) => (d['retention'].erasure.documentation = 'http://wiki.todox.example/erasure'), also: { 'security.retention.erasure': 'fail' } },
  { gate: 'security.retention.windows', change: 'a window that is no duration (schema)', file: 'security.yaml', mutate: (d) => (d['retention'].windows.meetingPrep = 'forever'), expected: 'error' },
  { gate: 'security.retention.erasure', change: 'erasure document missing', file: 'security.yaml', mutate: (d) => (d['retention'].erasure.documentation = 'evidence/docs/security/no-such-erasure.md') },

  // tenancy
  { gate: 'tenancy.isolation', change: 'a failed isolation test (child)', file: 'tenancy.yaml', mutate: (d) => (d['isolationTests'][0].outcome = 'failed'), also: { 'tenancy.isolation.gmail-documents': 'fail' } },
  { gate: 'tenancy.isolation.gmail-documents', change: 'test failed', file: 'tenancy.yaml', mutate: (d) => (d['isolationTests'][0].outcome = 'failed') },
  { gate: 'tenancy.isolation.knowledge-queries', change: 'test skipped', file: 'tenancy.yaml', mutate: (d) => (d['isolationTests'][1].outcome = 'skipped') },
  { gate: 'tenancy.isolation.embeddings', change: 'test ran on another revision', file: 'tenancy.yaml', mutate: (d) => (d['isolationTests'][2].revision = '0000000000000000000000000000000000000000') },
  { gate: 'tenancy.isolation.evidence-listing', change: 'test dated after as-of', file: 'tenancy.yaml', mutate: (d) => (d['isolationTests'][3].date = '2026-12-01') },
  { gate: 'tenancy.isolation.meeting-prep', change: 'no test for the path', file: 'tenancy.yaml', mutate: (d) => d['isolationTests'].splice(4, 1) },
  { gate: 'tenancy.no-shared-scope', change: 'org-agnostic cache without reason', file: 'tenancy.yaml', mutate: (d) => delete d['sharedScope'].caches[1].orgAgnosticReason },
  { gate: 'tenancy.org-scoping', change: 'an RPC without query scoping', file: 'tenancy.yaml', mutate: (d) => (d['orgScoping'].rpcs[2].queryScoped = false) },

  // ops
  { gate: 'ops.migrations', change: 'not serialized', file: 'ops.yaml', mutate: (d) => (d['migrations'].serialized = false) },
  { gate: 'ops.backups', change: 'restore procedure missing (child)', file: 'ops.yaml', mutate: (d) => (d['backups'].restore.procedure = 'evidence/docs/ops/no-such-restore.md'), also: { 'ops.backups.restore': 'fail' } },
  { gate: 'ops.backups.automated', change: 'a data store without automated backups', file: 'ops.yaml', mutate: (d) => (d['backups'].datastores[0].automated = false) },
  { gate: 'ops.backups.restore', change: 'restore estimate above the RTO', file: 'ops.yaml', mutate: (d) => (d['backups'].restore.estimate = '12h') },
  { gate: 'ops.dr', change: 'RPO below the backup interval (child)', file: 'ops.yaml', mutate: (d) => (d['dr'].rpo = '30m'), also: { 'ops.dr.rpo-rto': 'fail' } },
  { gate: 'ops.dr.rpo-rto', change: 'backup interval above the RPO', file: 'ops.yaml', mutate: (d) => (d['backups'].datastores[0].interval = '6h') },
  { gate: 'ops.dr.tabletop', change: 'tabletop of 2025-01-01 (too old for prod)', file: 'ops.yaml', mutate: (d) => (d['dr'].tabletop.date = '2025-01-01') },
  { gate: 'ops.secrets-manager', change: 'a plain-file secret in prod', file: 'ops.yaml', mutate: (d) => d['secretsManager'].plainFileSecrets.push('config/server.env') },
  { gate: 'ops.slos', change: 'latency SLO not on /knowledge', file: 'ops.yaml', mutate: (d) => (d['slos'][2].covers = ['/api/health']) },

  // observability
  { gate: 'observability.otlp', change: 'server metrics not exported', file: 'observability.yaml', mutate: (d) => (d['otlp'].server.metrics = false) },
  { gate: 'observability.dashboards', change: 'no api-latency dashboard (child)', file: 'observability.yaml', mutate: (d) => (d['dashboards'][0].covers = ['api-errors']), also: { 'observability.dashboards.api': 'fail' } },
  { gate: 'observability.dashboards.api', change: 'no api-errors dashboard', file: 'observability.yaml', mutate: (d) => (d['dashboards'][0].covers = ['api-latency']) },
  { gate: 'observability.dashboards.datastores', change: 'no redis dashboard', file: 'observability.yaml', mutate: (d) => (d['dashboards'][1].covers = ['db-saturation']) },
  { gate: 'observability.dashboards.workflows', change: 'workflow dashboard removed', file: 'observability.yaml', mutate: (d) => d['dashboards'].splice(2, 1) },
  { gate: 'observability.alerts', change: 'a receiver removed (child)', file: 'observability.yaml', mutate: (d) => (d['routing'].receivers = ['oncall-pager']), also: { 'observability.alerts.migrations': 'fail' } },
  { gate: 'observability.alerts.error-rate', change: 'routed to an unknown receiver', file: 'observability.yaml', mutate: (d) => (d['alerts'][0].receiver = 'nobody') },
  { gate: 'observability.alerts.latency', change: 'latency alert removed', file: 'observability.yaml', mutate: (d) => d['alerts'].splice(1, 1) },
  { gate: 'observability.alerts.migrations', change: 'routed to an unlisted receiver', file: 'observability.yaml', mutate: (d) => (d['alerts'][2].receiver = 'ops-email') },
  { gate: 'observability.alerts.auth-sessions', change: 'no auth-sessions alert', file: 'observability.yaml', mutate: (d) => (d['alerts'][3].signal = 'latency') },
  { gate: 'observability.alert-routing', change: 'controlled alert not received', file: 'observability.yaml', mutate: (d) => (d['routing'].controlledTest.received = false) },

  // topology
  { gate: 'topology.decision', change: 'decision "hybrid" (schema)', file: 'topology.yaml', mutate: (d) => (d['decision'] = 'hybrid'), expected: 'error' },
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
  { gate: 'topology.cluster.table-prefixing', change: 'multi-node, prefixing not implemented', file: 'topology.yaml', mutate: multiNode((c) => (c['tablePrefixing'].implemented = false)), also: { 'topology.cluster.concurrency-limits': 'pass', 'topology.cluster.idempotency': 'pass' } },
  { gate: 'topology.cluster.concurrency-limits', change: 'multi-node, no concurrency limits', file: 'topology.yaml', mutate: multiNode((c) => delete c['concurrencyLimits']), also: { 'topology.cluster.table-prefixing': 'pass' } },
  { gate: 'topology.cluster.idempotency', change: 'multi-node, idempotency document missing', file: 'topology.yaml', mutate: multiNode((c) => (c['idempotency'].documentation = 'evidence/docs/ops/no-such-idempotency.md')), also: { 'topology.cluster.table-prefixing': 'pass' } },
  { gate: 'topology.single-node', change: 'single-node without its block (child)', file: 'topology.yaml', mutate: (d) => delete d['singleNode'], also: { 'topology.single-node.failure-mode': 'fail' } },
  { gate: 'topology.single-node.failure-mode', change: 'blank restart behaviour', file: 'topology.yaml', mutate: (d) => (d['singleNode'].failureMode.restartBehavior = '   ') },

  // runbook
  { gate: 'runbook.primary', change: 'an http link', file: 'runbook.yaml', mutate: (d) => (d['primary'] = 'http://wiki.todox.example/runbook') },
  { gate: 'runbook.rollback', change: 'a link leaving the repository', file: 'runbook.yaml', mutate: (d) => (d['rollback'] = '../outside/rollback.md') },
  { gate: 'runbook.backup-restore', change: 'an absolute path', file: 'runbook.yaml', mutate: (d) => (d['backupRestore'] = '/etc/passwd') },
  { gate: 'runbook.known-issues', change: 'a file that does not exist', file: 'runbook.yaml', mutate: (d) => (d['knownIssues'] = 'evidence/docs/runbooks/known-issues-prod.md') },

  // signoff
  { gate: 'signoff.product', change: 'signed after as-of', file: 'signoff.yaml', mutate: (d) => (d['product'].date = '2026-12-01') },
  { gate: 'signoff.engineering', change: 'sign-off missing', file: 'signoff.yaml', mutate: (d) => delete d['engineering'] },
  { gate: 'signoff.security', change: 'notApplicable in a non-MVP release', file: 'signoff.yaml', mutate: (d) => (d['security'] = { notApplicable: true, rationale: 'we are in a hurry' }) },
];

/** More ways to break some gates: each must flip it too. */
const EXTRA: Mutation[] = [
  { gate: 'security.cors', change: 'the null origin in prod', file: 'security.yaml', mutate: (d) => d['cors'].trustedOrigins.push('null') },
  { gate: 'security.cors', change: 'an http origin in prod', file: 'security.yaml', mutate: (d) => (d['cors'].trustedOrigins[0] = 'http://app.todox.example') },
  { gate: 'security.cors', change: 'a subdomain wildcard in prod', file: 'security.yaml', mutate: (d) => (d['cors'].trustedOrigins[0] = 'https://*.todox.example') },
  { gate: 'release.metadata', change: 'a short revision', file: 'release.yaml', mutate: (d) => (d['revision'] = '3f9c2a7') },
  { gate: 'release.metadata', change: 'released after as-of', file: 'release.yaml', mutate: (d) => (d['date'] = '2026-11-26') },
  { gate: 'release.scope', change: 'a non-goal in scope', file: 'release.yaml', mutate: (d) => d['scope'].inScope.push('Calendar sync') },
  { gate: 'security.secrets', change: 'the scan ran on another revision', file: 'security.yaml', mutate: (d) => (d['secrets'].secretScan.revision = '1111111111111111111111111111111111111111') },
  { gate: 'observability.otlp', change: 'client logs not exported while a client is released', file: 'observability.yaml', mutate: (d) => (d['otlp'].client.logs = false) },
  { gate: 'ops.dr.tabletop', change: 'tabletop after as-of', file: 'ops.yaml', mutate: (d) => (d['dr'].tabletop.date = '2026-11-30') },
  { gate: 'signoff.security', change: 'signed after as-of', file: 'signoff.yaml', mutate: (d) => (d['security'].date = '2027-01-01') },
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
    await editYaml(dir, job.file, job.mutate);
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

  it.each(ALL.map((m) => [m.gate, m.change, m] as const))('%s flips on: %s', (gate, _change, mutation) => {
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
    expect(ref?.file, JSON.stringify(first)).toMatch(/^[a-z]+\.yaml$/);
    expect(ref?.pointer, JSON.stringify(first)).toMatch(/^\/\S+/);
    expect(typeof ref?.line).toBe('number');
    expect(typeof ref?.column).toBe('number');

    for (const [other, status] of Object.entries(mutation.also ?? {})) {
      expect(gateOf(outcome.report, other).status, other).toBe(status);
    }
    // A parent is never better than the gate that flipped.
    const parent = catalog.find((g) => g.id === gate)?.parent;
    if (parent) expect(['fail', 'error'], parent).toContain(gateOf(outcome.report, parent).status);
    // The stdout summary names the gate (a parent failing only through a child is left out).
    expect(outcome.stdout).toMatch(/^prod \(as of 2026-11-25\): NO-GO — /);
    const isParent = catalog.some((g) => g.parent === gate);
    if (!isParent) {
      const label = (mutation.expected ?? 'fail').toUpperCase();
      expect(outcome.stdout).toContain(`\n  ${label.padEnd(6)} ${gate}: `);
    }
  });

  it('a schema-invalid mutation leaves the other kinds evaluated', () => {
    const outcome = outcomes.get(MUTATIONS.find((m) => m.gate === 'topology.decision') as Mutation) as Outcome;
    expect(gateOf(outcome.report, 'release.metadata').status).toBe('pass');
    expect(gateOf(outcome.report, 'security.cors').status).toBe('pass');
    expect(outcome.report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'schema-violation', file: 'topology.yaml', pointer: '/decision' })]);
  });
});

it('the repository root used for links is the one holding package.json', async () => {
  expect(JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('prodgate');
});
