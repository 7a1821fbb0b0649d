import { ArtifactError } from '../artifact-error.js';
import type { ObjectiveFact, SloFacts } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { kubernetesDocuments } from '../config/kubernetes.js';
import { readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import {
  percentToFraction,
  readQueries,
  readsLatencyBuckets,
  requireObjectives,
} from '../config/slo.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'sloth',
  title: 'Sloth SLO specifications',
  spec: 'https://sloth.dev/specs/default/ (prometheus/v1) and https://sloth.dev/specs/kubernetes/ (sloth.slok.dev/v1 PrometheusServiceLevel)',
  recognisedBy: 'version: "prometheus/v1" at the top, or a PrometheusServiceLevel document',
  yields: [
    "every SLO: name, indicator (ratio, or latency when its queries read a histogram by le), objective as a fraction, window (Sloth's 30d unless the spec says), the metrics and label matchers of its error/total (or raw) queries, line and column",
    'a plugin SLI cannot be read from the file and is an error; an unknown version or apiVersion is an error',
  ],
  dialects: ['Sloth prometheus/v1', 'Sloth Kubernetes CRD sloth.slok.dev/v1'],
};

function recognise(text: string): boolean {
  const head = text.slice(0, 4096);
  return (
    /^version:\s*["']?prometheus\/v1["']?\s*$/m.test(head) ||
    /^kind:\s*PrometheusServiceLevel\s*$/m.test(head)
  );
}

interface SlothSlo {
  name: string;
  objective: number;
  description?: string;
  sli: {
    events?: Record<string, string>;
    raw?: Record<string, string>;
    plugin?: unknown;
  };
}

/** Sloth's default SLO period when the spec does not set one (sloth generate --default-slo-period). */
const SLOTH_DEFAULT_WINDOW = '30d';

const QUERY_KEYS = [
  'error_query',
  'errorQuery',
  'total_query',
  'totalQuery',
  'error_ratio_query',
  'errorRatioQuery',
];

function objectivesOf(
  doc: ConfigDocument,
  service: string,
  slos: SlothSlo[],
  base: string,
  window: string | undefined,
): ObjectiveFact[] {
  return slos.map((slo, i) => {
    const pointer = `${base}/${i}`;
    if (slo.sli.plugin !== undefined)
      throw new ArtifactError(
        'unresolved-reference',
        `SLO ${JSON.stringify(slo.name)} uses an SLI plugin, whose queries cannot be read from this file`,
        doc.at(`${pointer}/sli/plugin`),
        `${pointer}/sli/plugin`,
      );
    const part = slo.sli.events ? 'events' : 'raw';
    const given = slo.sli[part] ?? {};
    const reads = readQueries(
      doc,
      QUERY_KEYS.filter((k) => typeof given[k] === 'string').map((k) => ({
        pointer: `${pointer}/sli/${part}/${k}`,
        query: given[k] as string,
      })),
    );
    const target = percentToFraction(slo.objective);
    return {
      name: `${service}/${slo.name}`,
      indicator: readsLatencyBuckets(reads) ? 'latency' : 'ratio',
      ...(target !== undefined ? { target } : {}),
      window: window ?? SLOTH_DEFAULT_WINDOW,
      metrics: reads.metrics,
      matchers: reads.matchers,
      words: `${service} ${slo.name} ${slo.description ?? ''}`.replace(/\s+/g, ' ').trim(),
      ...doc.at(pointer),
    };
  });
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const objectives: ObjectiveFact[] = [];
    const first = docs[0]?.value as { version?: unknown } | undefined;
    if (first && first.version !== undefined) {
      const doc = docs[0] as ConfigDocument;
      checkDocument(doc, 'sloth', 'Sloth spec');
      const spec = doc.value as { service: string; slos: SlothSlo[]; slo_period?: string };
      objectives.push(...objectivesOf(doc, spec.service, spec.slos, '/slos', spec.slo_period));
    } else {
      for (const doc of kubernetesDocuments(docs, 'PrometheusServiceLevel', [
        'sloth.slok.dev/v1',
      ])) {
        checkDocument(doc, 'sloth-k8s', 'PrometheusServiceLevel');
        const spec = (doc.value as { spec: { service: string; slos: SlothSlo[] } }).spec;
        objectives.push(...objectivesOf(doc, spec.service, spec.slos, '/spec/slos', undefined));
      }
    }
    const facts: SloFacts = {
      type: 'slos',
      tool: { name: 'sloth' },
      objectives: requireObjectives(objectives, 'Sloth SLO'),
    };
    return facts;
  });
}

export const sloth: ArtifactImporter = { meta, recognise, read };
