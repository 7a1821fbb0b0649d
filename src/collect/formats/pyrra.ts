import { ArtifactError } from '../artifact-error.js';
import type { ObjectiveFact, SloFacts } from '../config/config-facts.js';
import { readConfigDocuments } from '../config/documents.js';
import { kubernetesDocuments } from '../config/kubernetes.js';
import { declaresKind, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import { percentToFraction, readQueries, requireObjectives } from '../config/slo.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'pyrra',
  title: 'Pyrra ServiceLevelObjective resources',
  spec: 'https://github.com/pyrra-dev/pyrra#kubernetes (pyrra.dev/v1alpha1)',
  recognisedBy:
    'a document of kind ServiceLevelObjective with a pyrra.dev apiVersion (multi-document YAML)',
  yields: [
    'every objective: name, indicator (ratio, latency, latencyNative, bool_gauge), target as a fraction, window, the metrics and label matchers of its selectors, latency threshold (the le of the success selector), line and column',
    'another apiVersion is an error',
  ],
  dialects: ['Pyrra v0.7–0.8 examples'],
};

function recognise(text: string): boolean {
  return declaresKind(text, ['ServiceLevelObjective']) && /pyrra\.dev\//.test(text.slice(0, 4096));
}

type Metric = { metric: string };
interface PyrraSpec {
  metadata: { name: string };
  spec: {
    description?: string;
    target: string;
    window: string;
    indicator: Record<string, Record<string, Metric | string> | Metric>;
  };
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const objectives: ObjectiveFact[] = [];
    for (const doc of kubernetesDocuments(docs, 'ServiceLevelObjective', ['pyrra.dev/v1alpha1'])) {
      checkDocument(doc, 'pyrra', 'ServiceLevelObjective');
      const slo = doc.value as PyrraSpec;
      const [kind, body] = Object.entries(slo.spec.indicator)[0] as [
        string,
        Record<string, unknown>,
      ];
      const base = `/spec/indicator/${kind}`;
      const queries =
        kind === 'bool_gauge'
          ? [{ pointer: `${base}/metric`, query: (body as Metric).metric }]
          : Object.entries(body)
              .filter(([, v]) => v !== null && typeof v === 'object')
              .map(([k, v]) => ({ pointer: `${base}/${k}/metric`, query: (v as Metric).metric }));
      const reads = readQueries(doc, queries);
      const le = reads.matchers.find((m) => m.name === 'le' && m.op === '=');
      const threshold = le ? Number(le.value) : undefined;
      const target = percentToFraction(slo.spec.target);
      if (target === undefined)
        throw new ArtifactError(
          'schema-violation',
          `target ${JSON.stringify(slo.spec.target)} is not a percentage`,
          doc.at('/spec/target'),
          '/spec/target',
        );
      objectives.push({
        name: slo.metadata.name,
        indicator: kind === 'latencyNative' ? 'latency' : kind === 'bool_gauge' ? 'bool' : kind,
        target,
        window: slo.spec.window,
        ...(kind === 'latency' && threshold !== undefined && Number.isFinite(threshold)
          ? { latencyThreshold: threshold }
          : {}),
        metrics: reads.metrics,
        matchers: reads.matchers,
        words: `${slo.metadata.name} ${slo.spec.description ?? ''}`.trim(),
        ...doc.at(''),
      });
    }
    const facts: SloFacts = {
      type: 'slos',
      tool: { name: 'pyrra' },
      objectives: requireObjectives(objectives, 'Pyrra ServiceLevelObjective'),
    };
    return facts;
  });
}

export const pyrra: ArtifactImporter = { meta, recognise, read };
