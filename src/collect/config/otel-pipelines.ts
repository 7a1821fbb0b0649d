import type { SourcePosition } from '../../core/diagnostics.js';
import { joinPointer } from '../../core/json-pointer.js';
import { ArtifactError } from '../artifact-error.js';
import type { ExporterRef, OtlpFacts } from './config-facts.js';

/** The signals the gate asks about (profiles and other pipeline types are read but not reported). */
export const SIGNALS = ['traces', 'logs', 'metrics'] as const;
export type Signal = (typeof SIGNALS)[number];

/**
 * OTLP exporters of the Collector: `otlp` / `otlphttp` and their newer names
 * `otlp_grpc` / `otlp_http` (each with an optional `/name`). `debug`, `logging`, `nop`,
 * `file` and every other type do not export over OTLP.
 */
export function isOtlpCollectorExporter(id: string): boolean {
  return ['otlp', 'otlphttp', 'otlp_grpc', 'otlp_http'].includes(id.split('/')[0] ?? '');
}

interface PipelineSpec {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}

/** A Collector configuration (`receivers`, `exporters`, `service.pipelines` …). */
export interface CollectorSpec {
  receivers?: Record<string, unknown>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  service: { pipelines: Record<string, PipelineSpec> };
}

type Locate = (pointer: string) => SourcePosition;

function defined(section: Record<string, unknown> | undefined, id: string): boolean {
  return section !== undefined && Object.hasOwn(section, id);
}

/**
 * Checks that every component a pipeline names is defined (a receiver or exporter may be
 * a connector), and adds, per signal, the exporters its pipelines reach: their own and,
 * through a connector to a pipeline of the same signal (`forward`), that pipeline's.
 * Throws a located `unresolved-reference` for an undefined component.
 */
export function readPipelines(spec: CollectorSpec, at: Locate, into: OtlpFacts['signals']): void {
  const pipelines = spec.service.pipelines;
  for (const [id, pipeline] of Object.entries(pipelines)) {
    const base = joinPointer('/service/pipelines', id);
    const check = (
      kind: 'receivers' | 'processors' | 'exporters',
      list: string[] | undefined,
    ): void => {
      (list ?? []).forEach((name, i) => {
        const ok =
          defined(spec[kind], name) || (kind !== 'processors' && defined(spec.connectors, name));
        if (!ok) {
          const pointer = `${base}/${kind}/${i}`;
          throw new ArtifactError(
            'unresolved-reference',
            `pipeline ${id} names ${kind.slice(0, -1)} ${JSON.stringify(name)}, which is not defined under ${kind}${kind === 'processors' ? '' : ' or connectors'}`,
            at(pointer),
            pointer,
          );
        }
      });
    };
    check('receivers', pipeline.receivers);
    check('processors', pipeline.processors);
    check('exporters', pipeline.exporters);
    if ((pipeline.receivers ?? []).length === 0 || (pipeline.exporters ?? []).length === 0) {
      throw new ArtifactError(
        'schema-violation',
        `pipeline ${id} must have at least one receiver and one exporter (the Collector refuses it)`,
        at(base),
        base,
      );
    }
  }
  for (const signal of SIGNALS) {
    const seen = new Set<string>();
    const reach = (pipelineId: string): void => {
      if (seen.has(pipelineId)) return;
      seen.add(pipelineId);
      const pipeline = pipelines[pipelineId] as PipelineSpec;
      (pipeline.exporters ?? []).forEach((name, i) => {
        if (defined(spec.connectors, name) && !defined(spec.exporters, name)) {
          for (const [other, p] of Object.entries(pipelines))
            if (signalOf(other) === signal && (p.receivers ?? []).includes(name)) reach(other);
          return;
        }
        const ref: ExporterRef = {
          name,
          otlp: isOtlpCollectorExporter(name),
          ...at(`${joinPointer('/service/pipelines', pipelineId)}/exporters/${i}`),
        };
        into[signal].push(ref);
      });
    };
    for (const id of Object.keys(pipelines)) if (signalOf(id) === signal) reach(id);
  }
}

/** The signal of a pipeline id (`traces`, `traces/backend` …). */
export function signalOf(pipelineId: string): string {
  return pipelineId.split('/')[0] ?? '';
}

export function emptySignals(): OtlpFacts['signals'] {
  return { traces: [], logs: [], metrics: [] };
}
