import { ArtifactError, problemOf } from '../artifact-error.js';
import type { ImportResult } from '../importer.js';
import type { ConfigFacts } from './config-facts.js';

/**
 * Runs an importer's reading function and turns a thrown ArtifactError into the
 * located problem of the result (the first problem ends the read: fail closed).
 */
export function readConfig(read: () => ConfigFacts): ImportResult {
  try {
    return { facts: read(), problems: [] };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [problemOf(thrown)] };
    throw thrown;
  }
}

/** The text's first 4 KiB without a byte order mark: what recognition looks at. */
export function head(text: string): string {
  return text.slice(0, 4096).replace(/^\uFEFF/, '');
}

/** A top-level YAML key at column 0 (`groups:`) or a JSON member (`"groups":`) in the head. */
export function hasTopKey(text: string, key: string): boolean {
  const h = head(text);
  return new RegExp(`^${key}:|^\\s*\\{[^]*"${key}"\\s*:`, 'm').test(h);
}

/** A YAML `kind: K` line (or JSON member) in the head. */
export function declaresKind(text: string, kinds: string[]): boolean {
  const h = head(text);
  return kinds.some((k) =>
    new RegExp(`^\\s*(?:kind:\\s*["']?${k}["']?\\s*$|"kind"\\s*:\\s*"${k}")`, 'm').test(h),
  );
}
