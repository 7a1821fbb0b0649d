import type { SourcePosition } from '../../core/diagnostics.js';
import { ArtifactError } from '../artifact-error.js';
import { checkFields } from '../json-artifact.js';
import type { ConfigDocument } from '../yaml-config.js';

/** One Kubernetes object of a manifest stream, with where it is. */
export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The object's fields as written. */
  body: Record<string, unknown>;
  /** JSON pointer of the object in the stream (`/<document>` or `/<document>/items/<n>` in a List). */
  pointer: string;
  /** Where a pointer relative to the object starts. */
  at(relative: string): SourcePosition;
}

/**
 * The API groups whose kinds prodgate reads, each with the versions it knows. An object
 * of such a group in another version (velero.io/v2, extensions/v1beta1 Ingress) is an
 * `unknown-api-version` error: its fields may not mean what the importer reads.
 */
const KNOWN_VERSIONS: Record<string, { kinds: readonly string[]; versions: readonly string[] }> = {
  '': { kinds: ['Secret', 'List'], versions: ['v1'] },
  batch: { kinds: ['Job', 'CronJob'], versions: ['v1'] },
  extensions: { kinds: ['Ingress'], versions: [] },
  'networking.k8s.io': { kinds: ['Ingress'], versions: ['v1'] },
  'velero.io': { kinds: ['Schedule'], versions: ['v1'] },
  'postgresql.cnpg.io': { kinds: ['ScheduledBackup', 'Cluster'], versions: ['v1'] },
  'external-secrets.io': {
    kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'],
    versions: ['v1', 'v1beta1'],
  },
};

/** The kinds read, as `group/kind`; any other object is kept only in the resource list. */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** Most objects in one manifest stream (List items included). */
const MAX_RESOURCES = 10_000;

/**
 * The objects of a manifest stream: every document must be an object with a string
 * apiVersion (`v1` or `group/version`), kind and metadata.name; a `v1` List is read
 * item by item. Objects of the groups read are checked against the importer's schema
 * (schemas/artifacts/kubernetes.schema.json). Throws a located ArtifactError.
 */
export function resourcesOf(documents: ConfigDocument[]): Resource[] {
  const out: Resource[] = [];
  for (const doc of documents) {
    const base = `/${doc.index}`;
    const top = resourceAt(doc, doc.value, '', base);
    if (top.kind === 'List' && top.apiVersion === 'v1') {
      const items = top.body['items'];
      if (!Array.isArray(items))
        throw new ArtifactError(
          'schema-violation',
          `${base}/items: a List holds a list of items`,
          doc.at('/items'),
          `${base}/items`,
        );
      items.forEach((item, i) => {
        out.push(resourceAt(doc, item, `/items/${i}`, base));
      });
    } else out.push(top);
    if (out.length > MAX_RESOURCES)
      throw new ArtifactError(
        'limit-exceeded',
        `more than ${MAX_RESOURCES} objects in one manifest file`,
        doc.at(''),
        base,
      );
  }
  return out;
}

function resourceAt(doc: ConfigDocument, value: unknown, inner: string, base: string): Resource {
  const pointer = `${base}${inner}`;
  const at = (relative: string) => doc.at(`${inner}${relative}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ArtifactError(
      'schema-violation',
      `${pointer}: a manifest document is an object`,
      at(''),
      pointer,
    );
  // In Kubernetes a field set to null is unset (kubectl and the API server drop it).
  const body = withoutNulls(value) as Record<string, unknown>;
  const { apiVersion, kind } = body;
  if (
    typeof apiVersion !== 'string' ||
    !/^(?:[a-z0-9.-]+\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/.test(apiVersion)
  )
    throw new ArtifactError(
      'unknown-api-version',
      `${pointer}/apiVersion: ${apiVersion === undefined ? 'missing' : JSON.stringify(apiVersion)}, not a Kubernetes apiVersion (v1 or group/version)`,
      at(apiVersion === undefined ? '' : '/apiVersion'),
      `${pointer}/apiVersion`,
    );
  if (typeof kind !== 'string' || kind === '')
    throw new ArtifactError(
      'schema-violation',
      `${pointer}/kind: missing`,
      at(''),
      `${pointer}/kind`,
    );
  const group = groupOf(apiVersion);
  const known = KNOWN_VERSIONS[group];
  if (
    known?.kinds.includes(kind) &&
    !known.versions.includes(apiVersion.slice(group ? group.length + 1 : 0))
  )
    throw new ArtifactError(
      'unknown-api-version',
      `${kind} ${JSON.stringify(apiVersion)} is not a version prodgate reads (${known.versions.map((v) => (group ? `${group}/${v}` : v)).join(', ') || 'none: removed from Kubernetes'}); its fields may mean something else`,
      at('/apiVersion'),
      `${pointer}/apiVersion`,
    );
  if (kind !== 'List') {
    const metadata = body['metadata'] as { name?: unknown; namespace?: unknown } | undefined;
    if (typeof metadata?.name !== 'string' || metadata.name === '')
      throw new ArtifactError(
        'schema-violation',
        `${pointer}/metadata/name: missing`,
        at(metadata ? '/metadata' : ''),
        `${pointer}/metadata/name`,
      );
  }
  if (known?.kinds.includes(kind) && kind !== 'List') checkFields('kubernetes', body, at, pointer);
  const metadata = (body['metadata'] ?? {}) as { name?: string; namespace?: string };
  return {
    apiVersion,
    kind,
    name: metadata.name ?? '',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    body,
    pointer,
    at,
  };
}

/** A string-valued annotation of an object (undefined when absent). */
export function annotation(r: Resource, key: string): string | undefined {
  const annotations = (r.body['metadata'] as { annotations?: Record<string, unknown> } | undefined)
    ?.annotations;
  const v = annotations?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** The position of an annotation's key, or of the object when absent. */
export function annotationAt(r: Resource, key: string): SourcePosition {
  return r.at(`/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/** `Kind namespace/name` as a reader names an object. */
export function label(r: Resource): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** A copy without the object members whose value is null (at any depth); list items are kept. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}
