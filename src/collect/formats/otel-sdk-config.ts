import { ArtifactError } from '../artifact-error.js';
import type { ExporterRef, OtlpFacts } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { emptySignals, type Signal } from '../config/otel-pipelines.js';
import { hasTopKey, readConfig } from '../config/read-config.js';
import { checkDocument } from '../config/schema.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'otel-sdk-config',
  title: 'OpenTelemetry declarative configuration (SDK configuration file)',
  spec: 'https://github.com/open-telemetry/opentelemetry-configuration (file_format 0.x, 1.0, 1.1)',
  recognisedBy: 'a top-level "file_format" key',
  yields: [
    'per signal: the exporters of tracer_provider.processors, meter_provider.readers and logger_provider.processors, each marked OTLP (otlp_http, otlp_grpc, the 0.x otlp) or not (console, otlp_file, zipkin, prometheus …), line and column',
    'disabled: true exports nothing; a file_format this reader does not know is an error',
  ],
  dialects: ['opentelemetry-configuration examples 0.3–1.1'],
};

const KNOWN_FILE_FORMATS = /^(0\.[1-4]|1\.[01])(-rc\.\d{1,3})?$/;
const OTLP_EXPORTERS = new Set(['otlp_http', 'otlp_grpc', 'otlp']);

function recognise(text: string): boolean {
  return hasTopKey(text, 'file_format');
}

type Exporter = Record<string, unknown> | null | undefined;

function exporterRefs(doc: ConfigDocument, exporter: Exporter, pointer: string): ExporterRef[] {
  if (!exporter || typeof exporter !== 'object') return [];
  return Object.keys(exporter).map((name) => ({
    name,
    otlp: OTLP_EXPORTERS.has(name),
    ...doc.at(`${pointer}/${name}`),
  }));
}

function processorExporters(doc: ConfigDocument, base: string, list: unknown): ExporterRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((p, i) => {
    const entry = (p ?? {}) as Record<string, { exporter?: Exporter } | null>;
    return Object.keys(entry).flatMap((kind) =>
      exporterRefs(doc, entry[kind]?.exporter, `${base}/${i}/${kind}/exporter`),
    );
  });
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const [doc] = readConfigDocuments(text, limits, { multiDocument: false });
    if (!doc) throw new Error('unreachable: readConfigDocuments returns a document');
    checkDocument(doc, 'otel-sdk-config', 'OpenTelemetry configuration');
    const spec = doc.value as {
      file_format: string;
      disabled?: boolean;
      tracer_provider?: { processors?: unknown };
      meter_provider?: { readers?: unknown };
      logger_provider?: { processors?: unknown };
    };
    if (!KNOWN_FILE_FORMATS.test(spec.file_format))
      throw new ArtifactError(
        'schema-violation',
        `file_format ${JSON.stringify(spec.file_format)} is not one this reader knows (0.1–0.4, 1.0, 1.1)`,
        doc.at('/file_format'),
        '/file_format',
      );
    const signals = emptySignals();
    if (spec.disabled !== true) {
      const add = (signal: Signal, refs: ExporterRef[]): void => {
        signals[signal].push(...refs);
      };
      add(
        'traces',
        processorExporters(doc, '/tracer_provider/processors', spec.tracer_provider?.processors),
      );
      add(
        'logs',
        processorExporters(doc, '/logger_provider/processors', spec.logger_provider?.processors),
      );
      add(
        'metrics',
        processorExporters(doc, '/meter_provider/readers', spec.meter_provider?.readers),
      );
    }
    const facts: OtlpFacts = {
      type: 'otlp',
      tool: { name: 'opentelemetry-sdk' },
      source: 'sdk',
      signals,
    };
    return facts;
  });
}

export const otelSdkConfig: ArtifactImporter = { meta, recognise, read };
