import { ArtifactError } from '../artifact-error.js';
import type { OtlpFacts } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { embeddedDocument } from '../config/embedded.js';
import { kubernetesDocuments } from '../config/kubernetes.js';
import { type CollectorSpec, emptySignals, readPipelines } from '../config/otel-pipelines.js';
import { declaresKind, hasTopKey, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'otel-collector',
  title: 'OpenTelemetry Collector configuration',
  spec: 'https://opentelemetry.io/docs/collector/configuration/',
  recognisedBy:
    'a top-level "service" and "exporters", or Kubernetes manifests with a ConfigMap holding one (a "pipelines:" key) or an OpenTelemetryCollector resource',
  yields: [
    'per signal (traces, logs, metrics): the exporters its pipelines reach, each marked OTLP or not (otlp, otlphttp, otlp_grpc, otlp_http; debug, nop and the rest are not), line and column',
    'a pipeline naming a receiver, processor or exporter that is not defined (nor a connector) is a located error; a pipeline through a connector reaches the exporters of the pipelines of the same signal it feeds',
    'Kubernetes streams: every ConfigMap data entry holding a Collector configuration, and OpenTelemetryCollector resources (opentelemetry.io/v1beta1 config object, v1alpha1 config string)',
  ],
  dialects: [
    'Collector core/contrib 0.9x–0.13x',
    'Kubernetes ConfigMap',
    'OpenTelemetry Operator CR',
  ],
};

function recognise(text: string): boolean {
  return (
    (hasTopKey(text, 'service') && /^exporters:/m.test(text)) ||
    declaresKind(text, ['OpenTelemetryCollector']) ||
    (declaresKind(text, ['ConfigMap']) &&
      /^\s+pipelines:/m.test(text) &&
      /^\s+exporters:/m.test(text))
  );
}

function readCollector(doc: ConfigDocument, facts: OtlpFacts): void {
  checkDocument(doc, 'otel-collector', 'Collector configuration');
  readPipelines(doc.value as CollectorSpec, doc.at, facts.signals);
}

/** Whether a ConfigMap data entry is a Collector configuration (has service.pipelines). */
function looksLikeCollector(value: string): boolean {
  return /^service:/m.test(value) && /^\s+pipelines:/m.test(value);
}

function readManifests(
  text: string,
  docs: ConfigDocument[],
  limits: ArtifactLimits,
  facts: OtlpFacts,
): number {
  let found = 0;
  for (const doc of kubernetesDocuments(docs, 'ConfigMap', ['v1'])) {
    const data = (doc.value as { data?: Record<string, unknown> }).data ?? {};
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string' || !looksLikeCollector(value)) continue;
      readCollector(embeddedDocument(doc, `/data/${key}`, text, value, limits), facts);
      found++;
    }
  }
  for (const doc of kubernetesDocuments(docs, 'OpenTelemetryCollector', [
    'opentelemetry.io/v1beta1',
    'opentelemetry.io/v1alpha1',
  ])) {
    const config = (doc.value as { spec?: { config?: unknown } }).spec?.config;
    if (typeof config === 'string')
      readCollector(embeddedDocument(doc, '/spec/config', text, config, limits), facts);
    else if (config && typeof config === 'object')
      readCollector(
        { index: doc.index, value: config, at: (p) => doc.at(`/spec/config${p}`) },
        facts,
      );
    else
      throw new ArtifactError(
        'schema-violation',
        'OpenTelemetryCollector has no spec.config',
        doc.at('/spec'),
        '/spec',
      );
    found++;
  }
  return found;
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const facts: OtlpFacts = {
      type: 'otlp',
      tool: { name: 'opentelemetry-collector' },
      source: 'collector',
      signals: emptySignals(),
    };
    const kubernetes = docs.some((d) => typeof (d.value as { kind?: unknown })?.kind === 'string');
    if (!kubernetes) {
      if (docs.length > 1)
        throw new ArtifactError(
          'parse-error',
          'a Collector configuration is one YAML document',
          docs[1]?.at(''),
          '',
        );
      readCollector(docs[0] as ConfigDocument, facts);
    } else if (readManifests(text, docs, limits, facts) === 0) {
      throw new ArtifactError(
        'parse-error',
        'no Collector configuration in the manifests; they prove nothing',
      );
    }
    return facts;
  });
}

export const otelCollector: ArtifactImporter = { meta, recognise, read };
