import { ArtifactError } from '../artifact-error.js';
import type { ConfigDocument } from './documents.js';

/**
 * The documents of a manifest stream of the given kind, each of a known apiVersion:
 * a document of that kind with another apiVersion is a located error (its fields may
 * mean something else), documents of other kinds are left to other importers.
 */
export function kubernetesDocuments(
  docs: ConfigDocument[],
  kind: string,
  apiVersions: string[],
): ConfigDocument[] {
  const out: ConfigDocument[] = [];
  for (const doc of docs) {
    const value = doc.value as { kind?: unknown; apiVersion?: unknown } | null;
    if (value === null || typeof value !== 'object' || value.kind !== kind) continue;
    if (typeof value.apiVersion !== 'string' || !apiVersions.includes(value.apiVersion))
      throw new ArtifactError(
        'schema-violation',
        `${kind} (document ${doc.index + 1}) has apiVersion ${JSON.stringify(value.apiVersion ?? null)}; known: ${apiVersions.join(', ')}`,
        doc.at('/apiVersion'),
        '/apiVersion',
      );
    out.push(doc);
  }
  return out;
}
