import { ArtifactError, problemOf } from '../artifact-error.js';
import type { ArtifactImporter, ImportResult } from '../importer.js';
import { checkFields } from '../json-artifact.js';
import type { ArtifactLimits } from '../limits.js';
import { type MigrationsFinding, type Located, migrationsPattern } from '../migrations.js';
import { readYamlConfig, type ConfigDocument } from '../yaml-config.js';

export const meta = {
  format: 'github-actions',
  title: 'GitHub Actions workflow',
  spec: 'https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax',
  recognisedBy: 'YAML with a top-level `jobs:` mapping and a top-level `on:` trigger',
  yields: [
    'the jobs, with their needs (resolved: a need that names no job is an error), if conditions and concurrency',
    'migrations: the job that runs database migrations (a job id, name, reusable workflow or step matching /migrat/i, or the job recordedBy names), whether every deploy job (an `environment:` or a job id/name/uses matching /deploy/i) needs it directly or transitively, not through a job guarded by always(), failure() or cancelled(), and whether it is serialized by a concurrency group (the job or the workflow) that does not cancel in progress and is not unique per run',
    'GitHub expressions (`$` followed by `{{ }}`) are data, never templates',
  ],
  dialects: [
    'GitHub Actions workflows (on: push / workflow_call / workflow_dispatch), reusable workflow calls',
  ],
};

interface RawConcurrency {
  group: string;
  'cancel-in-progress'?: boolean | string;
}
interface RawJob {
  name?: string;
  needs?: string | string[];
  if?: string | boolean | number;
  concurrency?: string | RawConcurrency;
  uses?: string;
  environment?: string | { name?: string };
  steps?: { name?: string; run?: string; uses?: string }[];
}
interface RawWorkflow {
  name?: string;
  concurrency?: string | RawConcurrency;
  jobs: Record<string, RawJob>;
}

/** A job as the policy sees it. */
export interface WorkflowJob extends Located {
  id: string;
  name?: string;
  needs: string[];
  /** The job's if runs it whatever its needs ended with (always(), failure(), cancelled()). */
  statusCheck: boolean;
  migrations: boolean;
  deploy: boolean;
}

function recognise(text: string): boolean {
  const head = text.slice(0, 65536);
  return /^jobs[ \t]*:/m.test(head) && /^(?:on|"on"|'on')[ \t]*:/m.test(head);
}

function read(text: string, limits: ArtifactLimits): ImportResult {
  try {
    const [doc] = readYamlConfig(text, limits, { multi: false, what: 'workflow' }) as [
      ConfigDocument,
    ];
    checkFields('github-actions', doc.value, (p) => doc.at(p));
    const workflow = doc.value as RawWorkflow;
    const jobs = readJobs(workflow, doc);
    return {
      facts: {
        type: 'config',
        tool: { name: 'GitHub Actions' },
        documents: 1,
        config: {
          ...(workflow.name ? { workflow: workflow.name } : {}),
          jobs,
          migrations: migrationsOf(workflow, jobs, doc),
        },
      },
      problems: [],
    };
  } catch (thrown) {
    if (thrown instanceof ArtifactError) return { problems: [problemOf(thrown)] };
    throw thrown;
  }
}

const STATUS_CHECK = /\b(?:always|failure|cancelled)\s*\(\s*\)/i;
const DEPLOY = /deploy/i;

function readJobs(workflow: RawWorkflow, doc: ConfigDocument): WorkflowJob[] {
  const ids = Object.keys(workflow.jobs);
  const jobs = ids.map((id): WorkflowJob => {
    const raw = workflow.jobs[id] as RawJob;
    const needs =
      raw.needs === undefined ? [] : typeof raw.needs === 'string' ? [raw.needs] : raw.needs;
    needs.forEach((need, i) => {
      if (!Object.hasOwn(workflow.jobs, need)) {
        const pointer = `/jobs/${id}/needs${typeof raw.needs === 'string' ? '' : `/${i}`}`;
        throw new ArtifactError(
          'unresolved-reference',
          `job ${id} needs "${need}", which is not a job of this workflow`,
          doc.at(pointer),
          pointer,
        );
      }
    });
    // `${{ }}` expressions are data: a deploy step passing needs.migrations.outputs is not a migration.
    const texts = [
      id,
      raw.name,
      raw.uses,
      ...(raw.steps ?? []).flatMap((s) => [s.name, s.run, s.uses]),
    ].map((t) => (typeof t === 'string' ? t.replace(/\$\{\{[\s\S]{0,2000}?\}\}/g, '') : t));
    const migrations = texts.some((t) => typeof t === 'string' && migrationsPattern.test(t));
    const environment =
      typeof raw.environment === 'string' ? raw.environment : raw.environment?.name;
    return {
      id,
      ...(raw.name !== undefined ? { name: raw.name } : {}),
      ...doc.at(`/jobs/${id}`),
      needs,
      statusCheck: typeof raw.if === 'string' && STATUS_CHECK.test(raw.if),
      migrations,
      deploy:
        !migrations &&
        (environment !== undefined ||
          [id, raw.name, raw.uses].some((t) => typeof t === 'string' && DEPLOY.test(t))),
    };
  });
  checkAcyclic(jobs, doc);
  return jobs;
}

/** GitHub refuses a workflow whose needs form a cycle; so does prodgate, at the first job on one. */
function checkAcyclic(jobs: WorkflowJob[], doc: ConfigDocument): void {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open')
      throw new ArtifactError(
        'unresolved-reference',
        `the needs of job ${id} form a cycle`,
        doc.at(`/jobs/${id}/needs`),
        `/jobs/${id}/needs`,
      );
    state.set(id, 'open');
    for (const n of byId.get(id)?.needs ?? []) visit(n);
    state.set(id, 'done');
  };
  for (const j of jobs) visit(j.id);
}

/** A concurrency group that is new for every run serializes nothing. */
const UNIQUE_PER_RUN = /github\.(?:run_id|run_number|run_attempt|sha)\b/;

function migrationsOf(
  workflow: RawWorkflow,
  jobs: WorkflowJob[],
  doc: ConfigDocument,
): MigrationsFinding {
  const problems: MigrationsFinding['problems'] = [];
  const migrationJobs = jobs.filter((j) => j.migrations);
  const job = migrationJobs[0];
  if (!job) {
    return {
      runsBeforeDeploy: false,
      serialized: false,
      deployJobs: [],
      problems: [
        {
          code: 'missing-evidence',
          message:
            'no job of the workflow runs migrations (a job id, name, reusable workflow or step matching /migrat/i)',
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const deployJobs = jobs
    .filter((j) => j.deploy)
    .map((d) => ({ id: d.id, line: d.line, column: d.column, after: runsAfter(d, job.id, byId) }));
  if (deployJobs.length === 0)
    problems.push({
      code: 'missing-evidence',
      message: `no deploy job in the workflow (an environment, or a job id, name or uses matching /deploy/i) to run after ${job.id}`,
      line: job.line,
      column: job.column,
    });
  for (const d of deployJobs) {
    if (d.after) continue;
    const deploy = byId.get(d.id) as WorkflowJob;
    problems.push({
      code: 'violation',
      message: deploy.statusCheck
        ? `deploy job ${d.id} is guarded by always(), failure() or cancelled(): it runs even when migrations job ${job.id} failed, so it does not run after it`
        : `deploy job ${d.id} does not wait for migrations job ${job.id}: it does not need it, directly or through jobs that run only on success`,
      line: d.line,
      column: d.column,
    });
  }
  const concurrency = concurrencyOf(workflow, job, doc);
  let serialized = false;
  if (!concurrency)
    problems.push({
      code: 'violation',
      message: `migrations job ${job.id} has no concurrency group (on the job or the workflow): two runs can migrate at once`,
      line: job.line,
      column: job.column,
    });
  else if (concurrency.cancelInProgress !== false)
    problems.push({
      code: 'violation',
      message: `the concurrency group of migrations job ${job.id} cancels in progress (cancel-in-progress: ${String(concurrency.cancelInProgress)}): a migration can be cut off midway`,
      line: concurrency.line,
      column: concurrency.column,
    });
  else if (UNIQUE_PER_RUN.test(concurrency.group))
    problems.push({
      code: 'violation',
      message: `the concurrency group "${concurrency.group}" of migrations job ${job.id} is new for every run, so it serializes nothing`,
      line: concurrency.line,
      column: concurrency.column,
    });
  else serialized = true;
  return {
    job: { id: job.id, line: job.line, column: job.column, via: 'workflow job' },
    runsBeforeDeploy: deployJobs.length > 0 && deployJobs.every((d) => d.after),
    serialized,
    ...(concurrency ? { concurrency } : {}),
    deployJobs,
    problems,
  };
}

/**
 * The deploy job runs after the migrations job when a chain of needs leads from it to
 * the migrations job, through jobs (the deploy job included) none of which is guarded by
 * a status check: such a job runs even when what it needs failed, so it does not wait.
 */
function runsAfter(
  deploy: WorkflowJob,
  migrationsId: string,
  byId: Map<string, WorkflowJob>,
): boolean {
  const seen = new Set<string>();
  const queue = [deploy];
  while (queue.length) {
    const job = queue.shift() as WorkflowJob;
    if (seen.has(job.id) || job.statusCheck) continue;
    seen.add(job.id);
    for (const need of job.needs) {
      if (need === migrationsId) return true;
      queue.push(byId.get(need) as WorkflowJob);
    }
  }
  return false;
}

function concurrencyOf(
  workflow: RawWorkflow,
  job: WorkflowJob,
  doc: ConfigDocument,
): MigrationsFinding['concurrency'] {
  const own = (workflow.jobs[job.id] as RawJob).concurrency;
  const [raw, pointer, level] =
    own !== undefined
      ? [own, `/jobs/${job.id}/concurrency`, 'job' as const]
      : [workflow.concurrency, '/concurrency', 'workflow' as const];
  if (raw === undefined) return undefined;
  const group = typeof raw === 'string' ? raw : raw.group;
  const cancel = typeof raw === 'string' ? false : (raw['cancel-in-progress'] ?? false);
  return { group, cancelInProgress: cancel, level, ...doc.at(pointer) };
}

export const githubActions: ArtifactImporter = { meta, recognise, read };
