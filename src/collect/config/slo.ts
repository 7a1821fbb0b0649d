import { ArtifactError } from '../artifact-error.js';
import type { ObjectiveFact } from './config-facts.js';
import type { ConfigDocument } from './documents.js';
import type { LabelMatcher } from './promql.js';
import { PromQLError, readPromQL } from './promql.js';

/** What the queries of one indicator read, merged. */
export interface QueryReads {
  metrics: string[];
  matchers: LabelMatcher[];
}

/**
 * Parses the PromQL queries of an indicator (a spec's own templates such as Sloth's
 * `{{.window}}` stood in for by a duration first) and merges what they read. A query
 * that does not parse is a located error.
 */
export function readQueries(
  doc: ConfigDocument,
  queries: { pointer: string; query: string }[],
): QueryReads {
  const metrics = new Set<string>();
  const matchers: LabelMatcher[] = [];
  const seen = new Set<string>();
  for (const { pointer, query } of queries) {
    let reads: ReturnType<typeof readPromQL>;
    try {
      reads = readPromQL(query.replace(/\{\{\s*\.window\s*\}\}/g, '5m'));
    } catch (thrown) {
      if (!(thrown instanceof PromQLError)) throw thrown;
      throw new ArtifactError(
        'parse-error',
        `the query does not parse as PromQL at character ${thrown.offset + 1}: ${thrown.message}`,
        doc.at(pointer),
        pointer,
      );
    }
    for (const m of reads.metrics) metrics.add(m);
    for (const m of reads.matchers) {
      const key = `${m.name}\u0000${m.op}\u0000${m.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matchers.push(m);
    }
  }
  return { metrics: [...metrics].sort(), matchers };
}

/** A target given as a percentage (99.9, "99.9") as a fraction (0.999); undefined when not a number in (0, 100]. */
export function percentToFraction(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Number(value.trim())
        : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 100) return undefined;
  return Math.round(n * 1e8) / 1e10;
}

/** An objective with the indicator read from its queries: latency when it reads a histogram by `le`. */
export function objective(
  fields: Omit<ObjectiveFact, 'metrics' | 'matchers'>,
  reads: QueryReads,
): ObjectiveFact {
  return { ...fields, metrics: reads.metrics, matchers: reads.matchers };
}

/** True when the queries read a histogram bucket by its `le` label (a latency indicator). */
export function readsLatencyBuckets(reads: QueryReads): boolean {
  return (
    reads.metrics.some((m) => m.endsWith('_bucket')) && reads.matchers.some((m) => m.name === 'le')
  );
}

/** The objectives read; none is an error (an empty spec proves nothing). */
export function requireObjectives(objectives: ObjectiveFact[], what: string): ObjectiveFact[] {
  if (objectives.length === 0)
    throw new ArtifactError('parse-error', `no ${what} in the file; it proves nothing`);
  return objectives;
}
