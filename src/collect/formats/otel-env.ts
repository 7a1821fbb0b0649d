import { ArtifactError } from '../artifact-error.js';
import type { ExporterRef, OtlpFacts } from '../config/config-facts.js';
import { type ConfigDocument, readConfigDocuments } from '../config/documents.js';
import { emptySignals, SIGNALS } from '../config/otel-pipelines.js';
import { readConfig } from '../config/read-config.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import type { ArtifactLimits } from '../limits.js';

export const meta = {
  format: 'otel-env',
  title: 'OTEL_* environment variables in Kubernetes manifests',
  spec: 'https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/ and .../protocol/exporter/',
  recognisedBy:
    'Kubernetes manifests (apiVersion and kind) whose containers set an OTEL_ environment variable',
  yields: [
    "per signal, per container: whether the SDK exports over OTLP: OTEL_<SIGNAL>_EXPORTER lists otlp (the default when unset), an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or the signal's own), and OTEL_SDK_DISABLED is not true; line and column of the variable that decides",
    'an exporter variable whose value comes from elsewhere (valueFrom) cannot be evaluated and is an error; none, console and other exporters are not OTLP',
  ],
  dialects: ['Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod (apps/v1, batch/v1, v1)'],
};

const WORKLOADS: Record<string, { apiVersions: string[]; podSpec: string }> = {
  Deployment: { apiVersions: ['apps/v1'], podSpec: '/spec/template/spec' },
  StatefulSet: { apiVersions: ['apps/v1'], podSpec: '/spec/template/spec' },
  DaemonSet: { apiVersions: ['apps/v1'], podSpec: '/spec/template/spec' },
  ReplicaSet: { apiVersions: ['apps/v1'], podSpec: '/spec/template/spec' },
  Job: { apiVersions: ['batch/v1'], podSpec: '/spec/template/spec' },
  CronJob: { apiVersions: ['batch/v1'], podSpec: '/spec/jobTemplate/spec/template/spec' },
  Pod: { apiVersions: ['v1'], podSpec: '/spec' },
};

function recognise(text: string): boolean {
  return /^apiVersion:/m.test(text.slice(0, 4096)) && /^\s*-?\s*name:\s*["']?OTEL_/m.test(text);
}

function get(value: unknown, pointer: string): unknown {
  let v = value;
  for (const key of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: unknown;
  pointer: string;
}

function containerSignals(
  doc: ConfigDocument,
  env: EnvEntry[],
  into: OtlpFacts['signals'],
  label: string,
): void {
  const byName = new Map(env.map((e) => [e.name, e]));
  const envValue = (name: string): string | undefined => {
    const e = byName.get(name);
    if (!e) return undefined;
    if (e.value === undefined && e.valueFrom !== undefined) return '\u0000from';
    return e.value ?? '';
  };
  if (envValue('OTEL_SDK_DISABLED')?.trim().toLowerCase() === 'true') return;
  for (const signal of SIGNALS) {
    const variable = `OTEL_${signal.toUpperCase()}_EXPORTER`;
    const entry = byName.get(variable);
    const raw = envValue(variable);
    if (raw === '\u0000from')
      throw new ArtifactError(
        'unresolved-reference',
        `${label}: ${variable} takes its value from elsewhere (valueFrom), so which exporter runs cannot be read from the manifest`,
        doc.at((entry as EnvEntry).pointer),
        (entry as EnvEntry).pointer,
      );
    const exporters = (raw ?? 'otlp')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const endpoint =
      byName.get(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`) ??
      byName.get('OTEL_EXPORTER_OTLP_ENDPOINT');
    const where = (entry ?? endpoint ?? env[0]) as EnvEntry;
    for (const name of exporters.length > 0 ? exporters : ['none']) {
      const ref: ExporterRef = {
        name: `${label}:${name}`,
        otlp: name === 'otlp' && endpoint !== undefined && envValue(endpoint.name) !== '',
        ...doc.at(where.pointer),
      };
      into[signal].push(ref);
    }
  }
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  return readConfig(() => {
    const docs = readConfigDocuments(text, limits, { multiDocument: true });
    const facts: OtlpFacts = {
      type: 'otlp',
      tool: { name: 'kubernetes' },
      source: 'environment',
      signals: emptySignals(),
    };
    let containers = 0;
    for (const doc of docs) {
      const v = doc.value as {
        kind?: unknown;
        apiVersion?: unknown;
        metadata?: { name?: unknown };
      };
      const workload = typeof v?.kind === 'string' ? WORKLOADS[v.kind] : undefined;
      if (!workload) continue;
      if (typeof v.apiVersion !== 'string' || !workload.apiVersions.includes(v.apiVersion))
        throw new ArtifactError(
          'schema-violation',
          `${String(v.kind)} (document ${doc.index + 1}) has apiVersion ${JSON.stringify(v.apiVersion ?? null)}; known: ${workload.apiVersions.join(', ')}`,
          doc.at('/apiVersion'),
          '/apiVersion',
        );
      for (const list of ['containers', 'initContainers']) {
        const base = `${workload.podSpec}/${list}`;
        const cs = get(doc.value, base);
        if (!Array.isArray(cs)) continue;
        cs.forEach((c, i) => {
          const container = (c ?? {}) as { name?: unknown; env?: unknown };
          if (!Array.isArray(container.env)) return;
          const env: EnvEntry[] = container.env
            .map((e, j) => ({ ...(e as EnvEntry), pointer: `${base}/${i}/env/${j}` }))
            .filter((e) => typeof e.name === 'string');
          if (!env.some((e) => e.name.startsWith('OTEL_'))) return;
          containers++;
          containerSignals(
            doc,
            env,
            facts.signals,
            `${String(v.metadata?.name ?? v.kind)}/${String(container.name ?? i)}`,
          );
        });
      }
    }
    if (containers === 0)
      throw new ArtifactError(
        'parse-error',
        'no container in the manifests sets an OTEL_ variable; they prove nothing',
      );
    return facts;
  });
}

export const otelEnv: ArtifactImporter = { meta, recognise, read };
