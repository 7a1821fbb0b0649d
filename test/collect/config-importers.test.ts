// Configuration importers against the real samples (../shared/samples, copied into
// test/fixtures/config), each flipped by a configuration change, and hostile configs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigFacts } from '../../src/collect/facts.ts';
import { resolveArtifactLimits } from '../../src/collect/limits.ts';
import { readYamlConfig, unrenderedTemplateAt } from '../../src/collect/yaml-config.ts';
import { collect, errors } from '../support/collect.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'config');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

function config(text: string, format?: string): ConfigFacts['config'] {
  const result = collect(text, format);
  if (result.facts?.type !== 'config')
    throw new Error(`not a configuration: ${JSON.stringify(result.problems)}`);
  return result.facts.config;
}

type Migrations = {
  job?: { id: string; line: number };
  runsBeforeDeploy: boolean;
  serialized: boolean;
  deployJobs: { id: string; after: boolean }[];
  problems: { code: string; message: string; line: number }[];
};
const migrations = (text: string, format?: string) =>
  config(text, format)['migrations'] as Migrations;

describe('GitHub Actions workflows (samples)', () => {
  it('deploy.yml (navapbc/template-infra): the reusable migrations call is needed by deploy, serialized by the workflow concurrency', () => {
    const text = fixture('github-actions/deploy.yml');
    expect(collect(text).format).toBe('github-actions');
    const m = migrations(text);
    expect(m).toMatchObject({
      job: { id: 'database-migrations', line: 28 },
      runsBeforeDeploy: true,
      serialized: true,
      deployJobs: [{ id: 'deploy', after: true }],
      problems: [],
    });
  });

  it('database-migrations.yml: migrations, but no deploy job to run after them', () => {
    const m = migrations(fixture('github-actions/database-migrations.yml'));
    expect(m.job?.id).toBe('run-migrations');
    expect(m.runsBeforeDeploy).toBe(false);
    expect(m.problems).toEqual([
      expect.objectContaining({
        code: 'missing-evidence',
        message: expect.stringContaining('no deploy job'),
      }),
    ]);
  });

  it('docs.yml (external-secrets): a deploy with no migrations job proves nothing', () => {
    const m = migrations(fixture('github-actions/docs.yml'));
    expect(m.job).toBeUndefined();
    expect(m.problems[0]?.code).toBe('missing-evidence');
  });

  const deploy = fixture('github-actions/deploy.yml');
  it.each([
    [
      'deploy does not need the migrations job',
      deploy.replace('needs: [database-migrations]', 'needs: []'),
      /does not wait for migrations job database-migrations/,
      'runsBeforeDeploy',
    ],
    [
      'deploy is guarded by if: always()',
      deploy.replace(
        'needs: [database-migrations]',
        'needs: [database-migrations]\n    if: always()',
      ),
      /guarded by always\(\)/,
      'runsBeforeDeploy',
    ],
    [
      'no concurrency group',
      deploy.replace(/^concurrency: .*$/m, ''),
      /has no concurrency group/,
      'serialized',
    ],
    [
      'the group cancels in progress',
      deploy.replace(
        /^concurrency: (.*)$/m,
        'concurrency:\n  group: $1\n  cancel-in-progress: true',
      ),
      /cancels in progress/,
      'serialized',
    ],
    [
      'the group is new for every run',
      deploy.replace(/^concurrency: .*$/m, 'concurrency: deploy-${{ github.run_id }}'),
      /new for every run/,
      'serialized',
    ],
  ])('%s flips it', (_, text, message, flag) => {
    const m = migrations(text);
    expect(m[flag as 'serialized']).toBe(false);
    expect(m.problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('a deploy that waits through an intermediate job guarded by always() does not wait', () => {
    const text = deploy
      .replace('needs: [database-migrations]', 'needs: [gate]')
      .replace(
        '  deploy:\n',
        '  gate:\n    needs: database-migrations\n    if: ${{ always() }}\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n\n  deploy:\n',
      );
    expect(migrations(text).runsBeforeDeploy).toBe(false);
    const through = deploy
      .replace('needs: [database-migrations]', 'needs: [gate]')
      .replace(
        '  deploy:\n',
        '  gate:\n    needs: database-migrations\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n\n  deploy:\n',
      );
    expect(migrations(through).runsBeforeDeploy).toBe(true);
  });

  it('a need naming no job, and a cycle of needs, are located errors', () => {
    const unknown = collect(
      deploy.replace('needs: [database-migrations]', 'needs: [database-migration]'),
    );
    expect(unknown.problems[0]).toMatchObject({
      code: 'unresolved-reference',
      line: 39,
      pointer: '/jobs/deploy/needs/0',
    });
    const cycle = collect(
      deploy.replace(
        '    uses: ./.github/workflows/database-migrations.yml',
        '    needs: notify\n    uses: ./.github/workflows/database-migrations.yml',
      ),
    );
    expect(errors(cycle)).toEqual(['unresolved-reference']);
    expect(cycle.problems[0]?.message).toMatch(/form a cycle/);
  });

  it('${{ }} expressions are data, never templates', () => {
    expect(unrenderedTemplateAt(deploy)).toBeUndefined();
    expect(errors(collect(deploy))).toEqual([]);
  });
});

describe('configuration YAML: multi-document, YAML 1.2, bounds', () => {
  const limits = resolveArtifactLimits();

  it('gives each document its index and its values their positions in the whole stream', () => {
    const docs = readYamlConfig(
      '# head\n---\na: 1\n---\n# only a comment\n---\nb:\n  c: x\n',
      limits,
      { multi: true, what: 'test' },
    );
    expect(docs.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [1, { b: { c: 'x' } }],
    ]);
    expect(docs[1]?.at('/b/c')).toEqual({ line: 8, column: 3 });
  });

  it('keeps YAML 1.2 values as written (on, no, dates are strings)', () => {
    const [doc] = readYamlConfig('on: push\nx: no\nd: 2026-01-01\n', limits, {
      multi: false,
      what: 'test',
    });
    expect(doc?.value).toEqual({ on: 'push', x: 'no', d: '2026-01-01' });
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing\n---\n# here\n'],
  ])('%s proves nothing', (_, text) => {
    expect(() => readYamlConfig(text, limits, { multi: true, what: 'manifest file' })).toThrow(
      /proves nothing/,
    );
    expect(errors(collect(text, 'github-actions'))).toEqual(['empty-config']);
  });

  it('a second document in a single-document format is an error', () => {
    expect(errors(collect('on: push\njobs:\n  a: {}\n---\nx: 1\n', 'github-actions'))).toEqual([
      'parse-error',
    ]);
  });

  it('anchors are bounded: an alias bomb is refused, located', () => {
    const bomb = ['on: push', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(', ')}]`,
      );
    bomb.push('jobs: {}');
    const result = collect(bomb.join('\n'), 'github-actions');
    expect(errors(result)).toEqual(['limit-exceeded']);
    expect(result.problems[0]?.message).toMatch(/more than \d+ (?:nodes|values)/);
  });

  it('a huge document is refused by the node bound, not read', () => {
    const jobs = Array.from(
      { length: 3000 },
      (_, i) => `  j${i}:\n    runs-on: x\n    steps: [{run: a}, {run: b}]`,
    ).join('\n');
    const result = collect(`on: push\njobs:\n${jobs}\n`, 'github-actions', {
      maxArtifactNodes: 5000,
    });
    expect(errors(result)).toEqual(['limit-exceeded']);
  });

  it('duplicate keys are refused', () => {
    expect(errors(collect('on: push\njobs:\n  a: {}\n  a: {}\n', 'github-actions'))).toEqual([
      'parse-error',
    ]);
  });
});

type Backups = {
  backups: {
    kind: string;
    name: string;
    targets: string[];
    intervalMinutes?: number;
    suspended: boolean;
    dataIncluded: boolean;
    problems: { message: string }[];
  }[];
};
type Secrets = {
  stores: { provider: string }[];
  externalSecrets: { name: string; resolved: boolean }[];
  secretsWithData: { name: string; keys: number; line: number }[];
  managed: boolean;
  problems: { code: string; message: string }[];
};
type Cors = {
  ingresses: {
    name: string;
    origins: { origin: string; line: number }[];
    allowCredentials: boolean;
  }[];
  problems: { code: string }[];
};

describe('Kubernetes manifests (samples)', () => {
  const k8s = (path: string) => config(fixture(path), 'kubernetes');

  it('are recognised from their content', () => {
    expect(collect(fixture('k8s-velero/velero-schedule.yaml')).format).toBe('kubernetes');
    expect(collect(fixture('k8s-cnpg/scheduled-backup-example.yaml')).format).toBe('kubernetes');
  });

  it('Velero Schedule (API reference sample): daily at 07:00 over all namespaces, data included (snapshotVolumes null = unset)', () => {
    const { backups } = k8s('k8s-velero/velero-schedule.yaml')['backups'] as Backups;
    expect(backups).toEqual([
      expect.objectContaining({
        kind: 'Schedule',
        name: 'a',
        intervalMinutes: 1440,
        suspended: false,
        dataIncluded: true,
        problems: [],
      }),
    ]);
    expect(backups[0]?.targets).toContain('*');
  });

  it('CloudNativePG ScheduledBackup: six-field cron (seconds first), daily, targeting its cluster', () => {
    const { backups } = k8s('k8s-cnpg/scheduled-backup-example.yaml')['backups'] as Backups;
    expect(backups).toEqual([
      expect.objectContaining({
        kind: 'ScheduledBackup',
        name: 'backup-example',
        targets: ['pg-backup'],
        intervalMinutes: 1440,
      }),
    ]);
  });

  it('CloudNativePG Cluster with backup, read with its ScheduledBackup in one stream', () => {
    const stream = `${fixture('k8s-cnpg/cluster-example-with-backup.yaml')}---\n${fixture('k8s-cnpg/scheduled-backup-example.yaml').replace('pg-backup', 'cluster-example-with-backup')}`;
    const { backups } = config(stream)['backups'] as Backups;
    expect(backups[0]).toMatchObject({ targets: ['cluster-example-with-backup'], problems: [] });
    const noBackup = stream.replace(/ {2}# Backup properties[\s\S]*?(?=---)/, '');
    expect((config(noBackup)['backups'] as Backups).backups[0]?.problems[0]?.message).toMatch(
      /configures no backup/,
    );
  });

  it.each([
    [
      'suspended',
      (t: string) =>
        t.replace('backupOwnerReference: self', 'backupOwnerReference: self\n  suspend: true'),
      (b: Backups) => b.backups[0]?.suspended === true,
    ],
    [
      'weekly',
      (t: string) => t.replace('"0 0 0 * * *"', '"0 0 3 * * 0"'),
      (b: Backups) => b.backups[0]?.intervalMinutes === 7 * 1440,
    ],
    [
      'five fields where CloudNativePG needs six',
      (t: string) => t.replace('"0 0 0 * * *"', '"0 0 * * *"'),
      (b: Backups) =>
        b.backups[0]?.intervalMinutes === undefined &&
        /6-field/.test(b.backups[0]?.problems[0]?.message ?? ''),
    ],
  ])('a ScheduledBackup change flips it: %s', (_, change, holds) => {
    expect(
      holds(
        config(change(fixture('k8s-cnpg/scheduled-backup-example.yaml')))['backups'] as Backups,
      ),
    ).toBe(true);
  });

  it('a Velero schedule without volume data copies objects only', () => {
    const text = fixture('k8s-velero/velero-schedule.yaml')
      .replace('snapshotVolumes: null', 'snapshotVolumes: false')
      .replace('defaultVolumesToFsBackup: true', 'defaultVolumesToFsBackup: false');
    const { backups } = config(text)['backups'] as Backups;
    expect(backups[0]?.dataIncluded).toBe(false);
    expect(backups[0]?.problems[0]?.message).toMatch(/copies the objects, not the data/);
  });

  it('External Secrets: the ExternalSecret resolves to its SecretStore (aws) when both are in the stream', () => {
    const both = `${fixture('k8s-external-secrets/basic-secret-store.yaml')}---\n${fixture('k8s-external-secrets/basic-external-secret.yaml')}`;
    const s = config(both)['secrets'] as Secrets;
    expect(s).toMatchObject({
      stores: [{ provider: 'aws' }],
      externalSecrets: [{ name: 'example', resolved: true }],
      managed: true,
      problems: [],
    });
    const alone = k8s('k8s-external-secrets/basic-external-secret.yaml')['secrets'] as Secrets;
    expect(alone.managed).toBe(false);
    expect(alone.problems[0]?.message).toMatch(
      /SecretStore secretstore-sample, which is not in these manifests/,
    );
  });

  it('a Secret with data in the manifests, and a fake provider, flip it', () => {
    const both = `${fixture('k8s-external-secrets/basic-secret-store.yaml')}---\n${fixture('k8s-external-secrets/basic-external-secret.yaml')}`;
    const withSecret = config(
      `${both}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n`,
    )['secrets'] as Secrets;
    expect(withSecret.managed).toBe(false);
    expect(withSecret.secretsWithData).toEqual([expect.objectContaining({ name: 'db', keys: 1 })]);
    const fake = config(both.replace(/provider:\n {4}aws:/, 'provider:\n    fake:'))[
      'secrets'
    ] as Secrets;
    expect(fake.managed).toBe(false);
  });

  it('ingress-nginx CORS: the storefront allows two origins; the external-auth Ingress enables no CORS', () => {
    const c = k8s('k8s-ingress-nginx/ingress-storefront-cors.yaml')['cors'] as Cors;
    expect(c.ingresses).toEqual([
      expect.objectContaining({
        name: 'storefront-api',
        allowCredentials: true,
        origins: [
          { origin: 'https://shop.example.com', line: 9, column: 5 },
          { origin: 'https://admin.shop.example.com', line: 9, column: 5 },
        ],
      }),
    ]);
    const none = k8s('k8s-ingress-nginx/ingress-nginx-external-auth-ingress.yaml')['cors'] as Cors;
    expect(none.ingresses).toEqual([]);
    expect(none.problems[0]?.code).toBe('missing-evidence');
  });

  it('CORS enabled without cors-allow-origin allows any origin (*)', () => {
    const text = fixture('k8s-ingress-nginx/ingress-storefront-cors.yaml').replace(
      /^ {4}nginx\.ingress\.kubernetes\.io\/cors-allow-origin: .*\n/m,
      '',
    );
    const c = config(text)['cors'] as Cors;
    expect(c.ingresses[0]?.origins.map((o) => o.origin)).toEqual(['*']);
  });

  it('Helm pre-upgrade hook and Argo CD PreSync hook Jobs are migrations jobs that run before deploy, serialized', () => {
    const helm = migrations(fixture('rendered/migrations-hook.yaml'));
    expect(helm).toMatchObject({
      job: { id: 'cortex-migrations', via: 'Helm pre-upgrade hook' },
      runsBeforeDeploy: true,
      serialized: true,
      problems: [],
    });
    const argo = migrations(fixture('rendered/argocd-presync.yaml'));
    expect(argo).toMatchObject({
      job: { id: 'server-db-migrate', via: 'Argo CD PreSync hook' },
      runsBeforeDeploy: true,
      serialized: true,
    });
  });

  it.each([
    [
      'a post-upgrade hook',
      (t: string) => t.replace('"helm.sh/hook": pre-upgrade', '"helm.sh/hook": post-upgrade'),
      /post-upgrade hook: it does not run before/,
    ],
    [
      'a plain Job',
      (t: string) => t.replace(/ {4}"helm\.sh\/hook": pre-upgrade\n/, ''),
      /is a plain Job/,
    ],
    [
      'parallel pods',
      (t: string) => t.replace('spec:\n  template:', 'spec:\n  parallelism: 2\n  template:'),
      /runs 2 pods in parallel/,
    ],
  ])('%s flips it', (_, change, message) => {
    const m = migrations(change(fixture('rendered/migrations-hook.yaml')));
    expect(m.runsBeforeDeploy && m.serialized).toBe(false);
    expect(m.problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it.each([
    ['k8s-helm-hook/migrations.yaml', 9, 9, /\{\{ include "cortex\.fullname" \$ \}\}/],
    ['k8s-helm-hook/cortex-postgres-job.yaml', 11, 35, /\{\{ \.Release\.Service \| quote \}\}/],
  ])(
    'the unrendered Helm chart %s is an error at its first template action',
    (path, line, column, action) => {
      const result = collect(fixture(path));
      expect(result.format).toBe('kubernetes');
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: 'unrendered-template',
          line,
          column,
          message: expect.stringMatching(action),
        }),
      ]);
    },
  );

  it.each([
    ['{{- if .Values.backup.enabled }}\napiVersion: velero.io/v1\nkind: Schedule\n', 1],
    ['apiVersion: v1\nkind: Secret\nmetadata:\n  name: "{{ $.Values.name }}"\n', 4],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n{{- end }}\n', 7],
  ])('template actions are located (%#)', (text, line) => {
    expect(collect(text, 'kubernetes').problems[0]).toMatchObject({
      code: 'unrendered-template',
      line,
    });
  });

  it('Prometheus-style {{ $labels.x }} and {{ if }} in a string are data', () => {
    const text =
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      annotations:\n        summary: "{{ $labels.instance }} {{ if gt $value 1.0 }}down{{ end }}"\n';
    expect(errors(collect(text, 'kubernetes'))).toEqual([]);
  });

  it.each([
    [
      'velero.io/v2 Schedule',
      'apiVersion: velero.io/v2\nkind: Schedule\nmetadata:\n  name: s\nspec:\n  schedule: "@daily"\n',
    ],
    [
      'extensions/v1beta1 Ingress',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n',
    ],
    ['a document without apiVersion', 'kind: Schedule\nmetadata:\n  name: s\n'],
  ])('an unknown apiVersion is an error with its location: %s', (_, text) => {
    const result = collect(text, 'kubernetes');
    expect(errors(result)).toEqual(['unknown-api-version']);
    expect(result.problems[0]?.pointer).toBe('/0/apiVersion');
  });

  it('an unknown kind of an unknown group is listed, not read', () => {
    const c = config(
      'apiVersion: example.com/v9\nkind: Widget\nmetadata:\n  name: w\n',
      'kubernetes',
    );
    expect(c['resources']).toEqual([
      expect.objectContaining({ kind: 'Widget', apiVersion: 'example.com/v9', line: 1 }),
    ]);
  });

  it('a v1 List is read item by item, each item located', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n  data:\n    k: dg==\n';
    const s = config(text, 'kubernetes')['secrets'] as Secrets;
    expect(s.secretsWithData).toEqual([expect.objectContaining({ name: 's', line: 8 })]);
  });

  it('many documents and a linear-time template scan', () => {
    const docs = Array.from(
      { length: 2000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`,
    ).join('---\n');
    expect((config(docs, 'kubernetes')['resources'] as unknown[]).length).toBe(2000);
    // 200,000 unclosed `{{` on one line: the scan looks at most 200 characters past each.
    expect(unrenderedTemplateAt(`x: "${'{{ '.repeat(200_000)}"\n`)).toBeUndefined();
  });
});
