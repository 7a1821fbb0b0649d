import type { ConfigProblem, Located } from '../migrations.js';
import { annotation, annotationAt, type Resource } from './resources.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';

export interface CorsIngress extends Located {
  name: string;
  namespace?: string;
  hosts: string[];
  /** The origins the controller answers with, each where it is written; `*` when CORS is on without cors-allow-origin. */
  origins: (Located & { origin: string })[];
  allowCredentials: boolean;
}

export interface CorsFinding {
  /** Ingresses that enable CORS (enable-cors: "true"). */
  ingresses: CorsIngress[];
  problems: ConfigProblem[];
}

/**
 * ingress-nginx CORS annotations (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#enable-cors)
 * on networking.k8s.io/v1 Ingresses. As the controller reads them: CORS is on only with
 * enable-cors "true"; without cors-allow-origin it answers any origin (`*`); the origin
 * list is comma-separated; cors-allow-credentials defaults to true. An Ingress of
 * another class may be served by another controller: it is read all the same (fail closed).
 */
export function corsOf(resources: Resource[]): CorsFinding {
  const problems: ConfigProblem[] = [];
  const ingresses: CorsIngress[] = [];
  for (const r of resources) {
    if (r.kind !== 'Ingress' || r.apiVersion !== 'networking.k8s.io/v1') continue;
    const enabled = annotation(r, `${PREFIX}enable-cors`);
    if (enabled === undefined || enabled.trim().toLowerCase() !== 'true') continue;
    const allow = annotation(r, `${PREFIX}cors-allow-origin`);
    const at = annotationAt(
      r,
      allow === undefined ? `${PREFIX}enable-cors` : `${PREFIX}cors-allow-origin`,
    );
    const origins = (
      allow === undefined
        ? ['*']
        : allow
            .split(',')
            .map((o) => o.trim())
            .filter((o) => o !== '')
    ).map((origin) => ({ origin, ...at }));
    const credentials = annotation(r, `${PREFIX}cors-allow-credentials`);
    const rules = (r.body['spec'] as { rules?: { host?: unknown }[] } | undefined)?.rules ?? [];
    ingresses.push({
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      hosts: rules.map((x) => x.host).filter((h): h is string => typeof h === 'string'),
      origins: origins.length ? origins : [{ origin: '*', ...at }],
      allowCredentials: credentials === undefined || credentials.trim().toLowerCase() !== 'false',
      ...r.at(''),
    });
  }
  if (ingresses.length === 0)
    problems.push({
      code: 'missing-evidence',
      message:
        'no Ingress in the manifests enables CORS (nginx.ingress.kubernetes.io/enable-cors: "true"): they show no trusted origins',
      line: 1,
      column: 1,
    });
  return { ingresses, problems };
}
