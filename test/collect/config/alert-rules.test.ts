import { describe, expect, it } from 'vitest';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { factsOf, problemOf, sample } from './support.js';

describe('Prometheus rule files and PrometheusRule resources', () => {
  it.each([
    ['prometheus-rules/alerts.yaml', 'prometheus-rules', 48, 0],
    ['prometheus-rules/getting-started.yml', 'prometheus-rules', 2, 15],
    ['prometheusrule-crd/alertmanager-prometheusRule.yaml', 'prometheusrule', 9, 0],
    ['prometheusrule-crd/kubeStateMetrics-prometheusRule.yaml', 'prometheusrule', 4, 0],
    ['prometheusrule-crd/k8s-getting-started.yml', 'prometheusrule', 2, 15],
  ])('%s is %s: %d alerts, %d recording rules', (path, format, alerts, recording) => {
    const text = sample(path);
    expect(recogniseFormat(text)?.meta.format).toBe(format);
    const facts = factsOf('alert-rules', text);
    expect(facts.alerts).toHaveLength(alerts);
    expect(facts.recordingRules).toBe(recording);
  });

  it('an alert carries its labels, metrics (parsed PromQL) and place', () => {
    const facts = factsOf(
      'alert-rules',
      sample('prometheusrule-crd/alertmanager-prometheusRule.yaml'),
    );
    const reload = facts.alerts.find((a) => a.name === 'AlertmanagerFailedReload');
    expect(reload).toMatchObject({
      group: 'alertmanager.rules',
      labels: { severity: 'critical' },
      metrics: ['alertmanager_config_last_reload_successful'],
      line: 18,
      column: 7,
    });
    const thanos = factsOf('alert-rules', sample('prometheus-rules/alerts.yaml'));
    const failures = thanos.alerts.find((a) => a.name === 'ThanosCompactHighCompactionFailures');
    expect(failures?.metrics).toEqual([
      'thanos_compact_group_compactions_failures_total',
      'thanos_compact_group_compactions_total',
    ]);
  });

  it('a metric name inside a string or a comment is not read as a metric', () => {
    const text = `groups:
- name: g
  rules:
  - alert: A
    expr: |
      # http_requests_total is only named in this comment
      up{job="http_requests_total"} == 0
`;
    expect(factsOf('alert-rules', text).alerts[0]?.metrics).toEqual(['up']);
  });

  it('an expression that does not parse is a located error, recording rules too', () => {
    const text = `groups:
- name: g
  rules:
  - record: job:x:rate5m
    expr: sum(rate(x[5m])
  - alert: A
    expr: up == 0
`;
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      code: 'parse-error',
      line: 5,
      pointer: '/groups/0/rules/0/expr',
    });
    expect(problem.message).toContain('does not parse as PromQL');
  });

  it('templates in annotations and labels are data', () => {
    const text = `groups:
- name: g
  rules:
  - alert: A
    expr: up == 0
    labels: { team: "{{ $labels.team }}", note: "\${{ secrets.X }}" }
    annotations: { summary: "{{ .Values.x }} down" }
`;
    expect(factsOf('alert-rules', text).alerts[0]?.labels).toEqual({
      note: '${{ secrets.X }}',
      team: '{{ $labels.team }}',
    });
  });

  it('an empty file, a file with no rules, a rule with neither alert nor record prove nothing', () => {
    expect(problemOf('', 'prometheus-rules').message).toContain('no document');
    expect(problemOf('groups: []\n').message).toContain('no rule');
    expect(problemOf('groups:\n- name: g\n  rules:\n  - expr: up\n').code).toBe('schema-violation');
  });

  it('a PrometheusRule of an unknown apiVersion is a located error; other kinds are skipped', () => {
    const crd = sample('prometheusrule-crd/alertmanager-prometheusRule.yaml');
    const other = crd.replace('monitoring.coreos.com/v1', 'monitoring.coreos.com/v2');
    expect(problemOf(other)).toMatchObject({
      code: 'schema-violation',
      line: 1,
      pointer: '/apiVersion',
    });
    const stream = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${crd}`;
    const facts = factsOf('alert-rules', stream);
    expect(facts.alerts).toHaveLength(9);
    expect(facts.alerts[0]?.line).toBe(18 + 4);
  });

  it('duplicate keys and unbounded aliases are refused (YAML 1.2, evidence limits)', () => {
    expect(problemOf('groups: []\ngroups: []\n', 'prometheus-rules').code).toBe('parse-error');
    const bomb = ['a: &a ["x","x"]', ...Array.from({ length: 200 }, (_, i) => `b${i}: *a`)].join(
      '\n',
    );
    expect(problemOf(`groups: []\n${bomb}\n`, 'prometheus-rules').code).toBe('limit-exceeded');
  });
});

describe('the artifacts evidence names every importer', () => {
  it('its format enum is the registry', async () => {
    const { readFileSync } = await import('node:fs');
    const { FORMAT_NAMES } = await import('../../../src/collect/registry.js');
    const schema = JSON.parse(
      readFileSync(
        new URL('../../../schemas/evidence/artifacts.v1.schema.json', import.meta.url),
        'utf8',
      ),
    );
    const format = schema.properties.artifacts.items.properties.format;
    expect([...format.enum].sort()).toEqual([...FORMAT_NAMES].sort());
  });
});
