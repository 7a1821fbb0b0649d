import { describe, expect, it } from 'vitest';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { factsOf, problemOf, sample } from './support.js';

describe('SLO specifications', () => {
  it.each([
    ['openslo/occurences-slo.yaml', 'openslo', 'latency', 0.99, '2w'],
    ['openslo/ratio-timeslices.yaml', 'openslo', 'ratio', 0.99, '2w'],
    ['sloth/getting-started.yml', 'sloth', 'ratio', 0.999, '30d'],
    ['sloth/k8s-getting-started.yml', 'sloth', 'ratio', 0.999, '30d'],
    ['pyrra/slo-apiserver-read-response-errors.yaml', 'pyrra', 'ratio', 0.99, '2w'],
    ['pyrra/slo-coredns-response-errors.yaml', 'pyrra', 'ratio', 0.9999, '2w'],
  ])('%s (%s): %s, target %d, window %s', (path, format, indicator, target, window) => {
    const text = sample(path);
    expect(recogniseFormat(text)?.meta.format).toBe(format);
    const [first] = factsOf('slos', text).objectives;
    expect(first).toMatchObject({ indicator, target, window });
  });

  it('Sloth: metrics and matchers of the queries, {{.window}} stood in for', () => {
    const [slo] = factsOf('slos', sample('sloth/getting-started.yml')).objectives;
    expect(slo?.metrics).toEqual(['http_request_duration_seconds_count']);
    expect(slo?.matchers).toContainEqual({ name: 'code', op: '=~', value: '(5..|429)' });
  });

  it('a latency indicator over the /knowledge routes (Pyrra latency, OpenSLO Prometheus ratio on buckets)', () => {
    const pyrra = `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata: { name: knowledge-latency }
spec:
  target: "95"
  window: 30d
  indicator:
    latency:
      success:
        metric: http_request_duration_seconds_bucket{route=~"/knowledge/.*",le="0.8"}
      total:
        metric: http_request_duration_seconds_count{route=~"/knowledge/.*"}
`;
    expect(factsOf('slos', pyrra).objectives[0]).toMatchObject({
      indicator: 'latency',
      latencyThreshold: 0.8,
      target: 0.95,
      window: '30d',
    });
    const openslo = `apiVersion: openslo/v1
kind: SLI
metadata: { name: knowledge-latency }
spec:
  ratioMetric:
    good:
      metricSource:
        type: Prometheus
        spec: { query: 'sum(rate(http_request_duration_seconds_bucket{route=~"/knowledge/.*",le="0.8"}[5m]))' }
    total:
      metricSource:
        type: Prometheus
        spec: { query: 'sum(rate(http_request_duration_seconds_count{route=~"/knowledge/.*"}[5m]))' }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: knowledge-p95 }
spec:
  indicatorRef: knowledge-latency
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.95 }]
`;
    const [o] = factsOf('slos', openslo).objectives;
    expect(o).toMatchObject({ indicator: 'latency', line: 22 });
    expect(o?.matchers).toContainEqual({ name: 'route', op: '=~', value: '/knowledge/.*' });
  });

  it('fail closed: unresolved indicatorRef, SLI plugin, unknown apiVersion, bad query, empty spec', () => {
    const ref = sample('openslo/ratio-timeslices.yaml').replace(
      / {2}indicator:\n(?: {4}.*\n)+/,
      '  indicatorRef: nowhere\n',
    );
    expect(problemOf(ref)).toMatchObject({
      code: 'unresolved-reference',
      pointer: '/spec/indicatorRef',
    });
    const plugin =
      'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      plugin: { id: x }\n';
    expect(problemOf(plugin)).toMatchObject({ code: 'unresolved-reference' });
    const v2 = sample('openslo/ratio-timeslices.yaml').replace('openslo/v1', 'openslo/v2alpha');
    expect(problemOf(v2, 'openslo')).toMatchObject({
      code: 'schema-violation',
      pointer: '/apiVersion',
    });
    const bad = sample('sloth/getting-started.yml').replace(
      '[{{.window}}]))\n',
      '[{{.window}}])\n',
    );
    expect(problemOf(bad)).toMatchObject({
      code: 'parse-error',
      pointer: '/slos/0/sli/events/error_query',
    });
    expect(problemOf('apiVersion: v1\nkind: ConfigMap\n', 'pyrra').message).toContain('no Pyrra');
  });
});
