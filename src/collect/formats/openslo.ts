import { ArtifactError } from '../artifact-error.js';
import type { ObjectiveFact, SloFacts } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { declaresKind, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import {
  type QueryReads,
  readQueries,
  readsLatencyBuckets,
  requireObjectives,
} from '../config/slo.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'openslo',
  title: 'OpenSLO v1 specifications',
  spec: 'https://github.com/OpenSLO/OpenSLO#slo (apiVersion openslo/v1)',
  recognisedBy: 'a document with apiVersion openslo/v1 (multi-document YAML)',
  yields: [
    'every objective of every SLO: name, indicator (ratio, or latency for a threshold metric with op lt/lte or a histogram-bucket ratio), target (fraction), window (timeWindow duration), the metrics and label matchers of its Prometheus queries, line and column',
    'an indicatorRef is resolved to an SLI of the same file; one that is not there is an error; another apiVersion (openslo/v1alpha, v2alpha) is an error',
  ],
  dialects: ['OpenSLO v1 (SLO with inline indicator or indicatorRef, SLI)'],
};

function recognise(text: string): boolean {
  return (
    /^apiVersion:\s*["']?openslo\/v1["']?\s*$/m.test(text.slice(0, 4096)) ||
    (declaresKind(text, ['SLO']) && /openslo\//.test(text.slice(0, 4096)))
  );
}

interface MetricSource {
  metricSource?: { type?: string; spec?: { query?: unknown } };
}
interface SliSpec {
  thresholdMetric?: MetricSource;
  ratioMetric?: { good?: MetricSource; bad?: MetricSource; total?: MetricSource };
}
interface SloSpec {
  metadata: { name: string; displayName?: string };
  spec: {
    description?: string;
    indicator?: { metadata?: { name?: string; displayName?: string }; spec: SliSpec };
    indicatorRef?: string;
    timeWindow?: { duration?: string }[];
    objectives: {
      displayName?: string;
      op?: string;
      value?: number;
      target?: number;
      targetPercent?: number;
    }[];
  };
}

function queries(sli: SliSpec, base: string): { pointer: string; query: string }[] {
  const out: { pointer: string; query: string }[] = [];
  const add = (source: MetricSource | undefined, pointer: string): void => {
    const type = source?.metricSource?.type?.toLowerCase();
    const query = source?.metricSource?.spec?.query;
    if (
      (type === 'prometheus' || type === 'thanos' || type === 'mimir') &&
      typeof query === 'string'
    )
      out.push({ pointer: `${pointer}/metricSource/spec/query`, query });
  };
  add(sli.thresholdMetric, `${base}/thresholdMetric`);
  for (const part of ['good', 'bad', 'total'] as const)
    add(sli.ratioMetric?.[part], `${base}/ratioMetric/${part}`);
  return out;
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const slis = new Map<string, { doc: ConfigDocument; spec: SliSpec; words: string }>();
    const slos: ConfigDocument[] = [];
    for (const doc of docs) {
      const v = doc.value as { apiVersion?: unknown; kind?: unknown };
      if (typeof v?.apiVersion !== 'string' || !v.apiVersion.startsWith('openslo/')) continue;
      if (v.apiVersion !== 'openslo/v1')
        throw new ArtifactError(
          'schema-violation',
          `document ${doc.index + 1} has apiVersion ${JSON.stringify(v.apiVersion)}; this reader knows openslo/v1`,
          doc.at('/apiVersion'),
          '/apiVersion',
        );
      if (v.kind === 'SLI') {
        const sli = doc.value as {
          metadata: { name: string; displayName?: string };
          spec: SliSpec;
        };
        slis.set(sli.metadata?.name, {
          doc,
          spec: sli.spec,
          words: `${sli.metadata?.name} ${sli.metadata?.displayName ?? ''}`,
        });
      }
      if (v.kind === 'SLO') slos.push(doc);
    }
    const objectives: ObjectiveFact[] = [];
    for (const doc of slos) {
      checkDocument(doc, 'openslo', 'OpenSLO SLO');
      const slo = doc.value as SloSpec;
      let sli: SliSpec;
      let sliDoc = doc;
      let base = '/spec/indicator/spec';
      let words = `${slo.metadata.name} ${slo.metadata.displayName ?? ''} ${slo.spec.description ?? ''}`;
      if (slo.spec.indicator) {
        sli = slo.spec.indicator.spec;
        words += ` ${slo.spec.indicator.metadata?.name ?? ''} ${slo.spec.indicator.metadata?.displayName ?? ''}`;
      } else {
        const ref = slis.get(slo.spec.indicatorRef ?? '');
        if (!ref)
          throw new ArtifactError(
            'unresolved-reference',
            `SLO ${JSON.stringify(slo.metadata.name)}: indicatorRef ${JSON.stringify(slo.spec.indicatorRef ?? null)} names no SLI in this file`,
            doc.at('/spec/indicatorRef'),
            '/spec/indicatorRef',
          );
        sli = ref.spec;
        sliDoc = ref.doc;
        base = '/spec';
        words += ` ${ref.words}`;
      }
      const reads: QueryReads = readQueries(sliDoc, queries(sli, base));
      const window = slo.spec.timeWindow?.[0]?.duration;
      slo.spec.objectives.forEach((o, i) => {
        const threshold = sli.thresholdMetric !== undefined && (o.op === 'lt' || o.op === 'lte');
        const target =
          o.target ?? (o.targetPercent !== undefined ? o.targetPercent / 100 : undefined);
        objectives.push({
          name: `${slo.metadata.name}${o.displayName ? ` / ${o.displayName}` : ''}`,
          indicator:
            threshold || readsLatencyBuckets(reads)
              ? 'latency'
              : sli.ratioMetric
                ? 'ratio'
                : 'threshold',
          ...(target !== undefined ? { target } : {}),
          ...(window !== undefined ? { window } : {}),
          ...(threshold && o.value !== undefined ? { latencyThreshold: o.value } : {}),
          metrics: reads.metrics,
          matchers: reads.matchers,
          words: `${words} ${o.displayName ?? ''}`.replace(/\s+/g, ' ').trim(),
          ...doc.at(`/spec/objectives/${i}`),
        });
      });
    }
    const facts: SloFacts = {
      type: 'slos',
      tool: { name: 'openslo' },
      objectives: requireObjectives(objectives, 'OpenSLO SLO'),
    };
    return facts;
  });
}

export const openslo: ArtifactImporter = { meta, recognise, read };
