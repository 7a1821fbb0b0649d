import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/collect/config/grafana-query.js';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { factsOf, problemOf, sample } from './support.js';

const dashboard = (panels: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ title: 'API', uid: 'api', schemaVersion: 39, panels, ...extra }, null, 2);

describe('Grafana dashboards', () => {
  it.each([
    ['grafana/k8s-views-namespaces.json', 25],
    ['grafana/bucket-replicate.json', 4],
    ['grafana/example-grafana-dashboard.json', 1],
  ])('%s: %d panels', (path, panels) => {
    const text = sample(path);
    expect(recogniseFormat(text)?.meta.format).toBe('grafana');
    expect(factsOf('dashboard', text).panels).toHaveLength(panels);
  });

  it('reads the metrics of a panel in the old rows layout, with Grafana variables stood in for', () => {
    const facts = factsOf('dashboard', sample('grafana/bucket-replicate.json'));
    const duration = facts.panels.find((p) => p.title === 'Duration');
    expect(duration?.metrics).toEqual(['thanos_replicate_replication_run_duration_seconds_bucket']);
    expect(duration?.pointer).toBe('/rows/0/panels/2');
  });

  it('collapsed rows count; hidden queries and other data sources do not', () => {
    const text = dashboard([
      {
        type: 'row',
        title: 'API',
        collapsed: true,
        panels: [
          {
            type: 'timeseries',
            title: 'p95 latency',
            targets: [
              {
                expr: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{route=~"$route"}[$__rate_interval])))',
                legendFormat: '${{ route }} {{le}}',
              },
              { expr: 'sum(rate(hidden_total[5m]))', hide: true },
              {
                expr: 'sum(rate({app="api"} |= "error" [5m]))',
                datasource: { type: 'loki', uid: 'l' },
              },
            ],
          },
        ],
      },
    ]);
    const facts = factsOf('dashboard', text);
    expect(facts.panels).toEqual([
      expect.objectContaining({
        title: 'p95 latency',
        pointer: '/panels/0/panels/0',
        metrics: ['http_request_duration_seconds_bucket'],
      }),
    ]);
  });

  it('a library panel is read from __elements; one that cannot be resolved is an error', () => {
    const model = {
      type: 'timeseries',
      title: 'Redis memory',
      targets: [{ expr: 'redis_memory_used_bytes / redis_memory_max_bytes' }],
    };
    const resolved = dashboard([{ title: 'Redis', libraryPanel: { uid: 'lp1', name: 'Redis' } }], {
      __elements: { lp1: { kind: 1, model } },
    });
    expect(factsOf('dashboard', resolved).panels[0]?.metrics).toEqual([
      'redis_memory_max_bytes',
      'redis_memory_used_bytes',
    ]);
    const missing = dashboard([{ title: 'Redis', libraryPanel: { uid: 'lp1', name: 'Redis' } }]);
    expect(problemOf(missing)).toMatchObject({
      code: 'unresolved-reference',
      pointer: '/panels/0/libraryPanel',
    });
  });

  it('a query that does not parse is a located error; an empty dashboard proves nothing', () => {
    const bad = dashboard([{ type: 'stat', title: 'x', targets: [{ expr: 'sum(rate(x[5m])' }] }]);
    expect(problemOf(bad)).toMatchObject({
      code: 'parse-error',
      pointer: '/panels/0/targets/0/expr',
    });
    expect(problemOf(dashboard([])).message).toContain('no panel');
  });

  it('an API export ({"dashboard": …}) is read, pointers into it', () => {
    const text = JSON.stringify({
      meta: { slug: 'api' },
      dashboard: {
        title: 'API',
        panels: [{ type: 'stat', title: 'up', targets: [{ expr: 'up' }] }],
      },
    });
    expect(factsOf('dashboard', text).panels[0]).toMatchObject({
      pointer: '/dashboard/panels/0',
      metrics: ['up'],
    });
  });

  it('variables: text in strings stays, ranges become durations, elsewhere a placeholder', () => {
    expect(interpolate('rate(x{a="$v"}[$__rate_interval]) by (${group})')).toBe(
      'rate(x{a="$v"}[5m]) by (grafana_template_variable)',
    );
    expect(interpolate('[[metric]]_total')).toBe('grafana_template_variable_total');
  });
});
