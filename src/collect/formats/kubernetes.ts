import { ArtifactError, problemOf } from '../artifact-error.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { backupsOf } from '../kubernetes/backups.js';
import { corsOf } from '../kubernetes/cors.js';
import { migrationsOf } from '../kubernetes/hooks.js';
import { resourcesOf } from '../kubernetes/resources.js';
import { secretsOf } from '../kubernetes/secrets.js';
import type { ArtifactLimits } from '../limits.js';
import { readManifests } from '../yaml-config.js';

export const meta = {
  format: 'kubernetes',
  title: 'Kubernetes manifests (rendered)',
  spec: 'https://kubernetes.io/docs/reference/using-api/ (objects); Velero, CloudNativePG, External Secrets Operator and ingress-nginx API references',
  recognisedBy: 'YAML whose first document has top-level `apiVersion:` and `kind:`',
  yields: [
    'every object (apiVersion, kind, namespace/name, document and line); an object of a group read in a version not read (velero.io/v2, extensions/v1beta1 Ingress) is an unknown-api-version error',
    'backups: Velero Schedule and CloudNativePG ScheduledBackup, with targets, schedule, the longest gap between runs in minutes (cron read by croner), paused/suspended, and whether the data is copied',
    'secrets: SecretStore / ClusterSecretStore providers, ExternalSecrets and whether their store is in the manifests, Secrets that carry data',
    'cors: Ingresses with ingress-nginx enable-cors, their allowed origins (none given: *) and credentials',
    'migrations: a migrations Job that is a Helm pre-install/pre-upgrade or Argo CD PreSync hook (before deploy, one at a time) or a plain Job (not before deploy)',
    'unrendered Helm/Go templates are an error: render first (helm template)',
  ],
  dialects: [
    'helm template output',
    'kubectl create --dry-run=client -o yaml',
    'kustomize build',
    'v1 List',
  ],
};

function recognise(text: string): boolean {
  const head = text.slice(0, 65536);
  return /^apiVersion[ \t]*:/m.test(head) && /^kind[ \t]*:/m.test(head);
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  try {
    const documents = readManifests(text, limits);
    const resources = resourcesOf(documents);
    const migrations = migrationsOf(resources);
    return {
      facts: {
        type: 'config',
        tool: { name: 'Kubernetes' },
        documents: documents.length,
        config: {
          resources: resources.map((r) => ({
            document: Number(r.pointer.split('/')[1]),
            apiVersion: r.apiVersion,
            kind: r.kind,
            name: r.name,
            ...(r.namespace ? { namespace: r.namespace } : {}),
            ...r.at(''),
          })),
          backups: backupsOf(resources),
          secrets: secretsOf(resources),
          cors: corsOf(resources),
          ...(migrations ? { migrations } : {}),
        },
      },
      problems: [],
    };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [problemOf(thrown)] };
    throw thrown;
  }
}

export const kubernetes: ArtifactImporter = { meta, recognise, read };
