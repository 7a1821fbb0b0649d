import type { ConfigProblem, Located } from '../migrations.js';
import { groupOf, label, type Resource } from './resources.js';

export interface SecretsFinding {
  /** SecretStore / ClusterSecretStore objects and the provider each reads from. */
  stores: (Located & { kind: string; name: string; provider: string })[];
  /** ExternalSecret objects, each with the store it names and whether that store is in the manifests. */
  externalSecrets: (Located & { name: string; store: string; resolved: boolean })[];
  /** Secret objects that carry data (data or stringData) in the manifests. */
  secretsWithData: (Located & { name: string; keys: number })[];
  /** Every secret comes from a secret manager through External Secrets, none is written in the manifests. */
  managed: boolean;
  problems: ConfigProblem[];
}

/** Providers that are not a secret manager: ESO's `fake` provider serves values written in the store itself. */
const NOT_A_SECRET_MANAGER = new Set(['fake']);

/**
 * External Secrets Operator objects (external-secrets.io v1 / v1beta1) and Secrets
 * with data. An ExternalSecret naming a store that is not in the manifests is an
 * unresolved reference (a located problem); a Secret with data or stringData is a
 * secret written into the manifests; a store with the `fake` provider is no secret manager.
 */
export function secretsOf(resources: Resource[]): SecretsFinding {
  const problems: ConfigProblem[] = [];
  const stores = resources
    .filter(
      (r) =>
        groupOf(r.apiVersion) === 'external-secrets.io' &&
        (r.kind === 'SecretStore' || r.kind === 'ClusterSecretStore'),
    )
    .map((r) => {
      const provider = Object.keys((r.body['spec'] as { provider: object }).provider)[0] ?? '';
      const at = r.at('/spec/provider');
      if (NOT_A_SECRET_MANAGER.has(provider))
        problems.push({
          code: 'violation',
          message: `${label(r)} uses the ${provider} provider: its values are written in the store, not kept in a secret manager`,
          ...at,
        });
      return { kind: r.kind, name: r.name, provider, namespace: r.namespace, ...at };
    });
  const externalSecrets = resources
    .filter((r) => groupOf(r.apiVersion) === 'external-secrets.io' && r.kind === 'ExternalSecret')
    .map((r) => {
      const ref = (r.body['spec'] as { secretStoreRef: { name: string; kind?: string } })
        .secretStoreRef;
      const kind = ref.kind ?? 'SecretStore';
      const store = stores.find(
        (s) =>
          s.kind === kind &&
          s.name === ref.name &&
          (kind === 'ClusterSecretStore' || s.namespace === r.namespace),
      );
      const at = r.at('/spec/secretStoreRef');
      if (!store)
        problems.push({
          code: 'missing-evidence',
          message: `${label(r)} reads from ${kind} ${ref.name}, which is not in these manifests`,
          ...at,
        });
      else if (NOT_A_SECRET_MANAGER.has(store.provider))
        problems.push({
          code: 'violation',
          message: `${label(r)} reads from ${kind} ${ref.name}, whose ${store.provider} provider is no secret manager`,
          ...at,
        });
      return { name: r.name, store: `${kind} ${ref.name}`, resolved: store !== undefined, ...at };
    });
  const secretsWithData = resources
    .filter((r) => r.kind === 'Secret' && r.apiVersion === 'v1')
    .flatMap((r) => {
      const keys = ['data', 'stringData'].reduce(
        (n, k) => n + Object.keys((r.body[k] as object | undefined) ?? {}).length,
        0,
      );
      if (keys === 0) return [];
      const at = r.at(r.body['data'] ? '/data' : '/stringData');
      problems.push({
        code: 'violation',
        message: `${label(r)} carries ${keys} value(s) in the manifests; a secret comes from the secret manager (an ExternalSecret), never from the manifests`,
        ...at,
      });
      return [{ name: r.name, keys, ...at }];
    });
  if (externalSecrets.length === 0)
    problems.push({
      code: 'missing-evidence',
      message:
        'the manifests hold no ExternalSecret: they do not show secrets coming from a secret manager',
      line: 1,
      column: 1,
    });
  const managed =
    externalSecrets.length > 0 &&
    externalSecrets.every((e) => e.resolved) &&
    stores.every((s) => !NOT_A_SECRET_MANAGER.has(s.provider)) &&
    secretsWithData.length === 0;
  return {
    stores: stores.map(({ namespace: _n, ...s }) => s),
    externalSecrets,
    secretsWithData,
    managed,
    problems,
  };
}
