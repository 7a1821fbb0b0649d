import { type MigrationsFinding, migrationsPattern } from '../migrations.js';
import { annotation, annotationAt, label, type Resource } from './resources.js';

const HELM_HOOK = 'helm.sh/hook';
const ARGO_HOOK = 'argocd.argoproj.io/hook';

/**
 * The migrations Job of rendered manifests: a batch/v1 Job whose name, container names,
 * images, commands or args match /migrat/i. It runs before deploy when it is a Helm
 * `pre-install`/`pre-upgrade` hook (Helm waits for it and stops the release when it
 * fails) or an Argo CD `PreSync` hook; a plain Job is applied together with the
 * Deployments and does not. It is serialized because Helm and Argo CD run one operation
 * per release at a time, unless the Job itself runs pods in parallel (parallelism > 1).
 */
export function migrationsOf(resources: Resource[]): MigrationsFinding | undefined {
  const jobs = resources.filter(
    (r) => r.kind === 'Job' && r.apiVersion === 'batch/v1' && isMigrations(r),
  );
  if (jobs.length === 0) return undefined;
  const job = jobs.find((j) => hookOf(j) !== undefined) ?? (jobs[0] as Resource);
  const hook = hookOf(job);
  const at = job.at('');
  const problems: MigrationsFinding['problems'] = [];
  if (!hook) {
    const helm = annotation(job, HELM_HOOK);
    problems.push({
      code: 'violation',
      message: helm
        ? `${label(job)} is a Helm ${helm} hook: it does not run before the release is installed or upgraded (use pre-install,pre-upgrade)`
        : `${label(job)} is a plain Job: it is applied together with the Deployments, not before them (make it a Helm pre-install/pre-upgrade hook or an Argo CD PreSync hook)`,
      ...(helm ? annotationAt(job, HELM_HOOK) : at),
    });
  }
  const parallelism = (job.body['spec'] as { parallelism?: number } | undefined)?.parallelism;
  const parallel = typeof parallelism === 'number' && parallelism > 1;
  if (parallel)
    problems.push({
      code: 'violation',
      message: `${label(job)} runs ${parallelism} pods in parallel (spec.parallelism): migrations can run twice at once`,
      ...job.at('/spec/parallelism'),
    });
  return {
    job: { id: job.name, ...at, via: hook ?? 'plain Job' },
    runsBeforeDeploy: hook !== undefined,
    serialized: hook !== undefined && !parallel,
    deployJobs: [],
    problems,
  };
}

function hookOf(job: Resource): string | undefined {
  const helm = (annotation(job, HELM_HOOK) ?? '').split(',').map((h) => h.trim());
  const before = helm.filter((h) => h === 'pre-install' || h === 'pre-upgrade');
  if (before.length) return `Helm ${before.join(',')} hook`;
  if (
    (annotation(job, ARGO_HOOK) ?? '')
      .split(',')
      .map((h) => h.trim())
      .includes('PreSync')
  )
    return 'Argo CD PreSync hook';
  return undefined;
}

function isMigrations(job: Resource): boolean {
  const containers =
    ((job.body['spec'] as { template?: { spec?: { containers?: unknown } } } | undefined)?.template
      ?.spec?.containers as
      | { name?: string; image?: string; command?: string[]; args?: string[] }[]
      | undefined) ?? [];
  const texts = [
    job.name,
    ...containers.flatMap((c) => [c.name, c.image, ...(c.command ?? []), ...(c.args ?? [])]),
  ];
  return texts.some((t) => typeof t === 'string' && migrationsPattern.test(t));
}
