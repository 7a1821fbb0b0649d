/**
 * Who ran an evaluation, when a CI system ran it: the commit, the run and the actor,
 * read from the variables each CI system sets. Recorded in the report's provenance so
 * that an auditor can trace a verdict back to the pipeline run that produced it.
 *
 * Only these variables are read, and only when the provider's marker variable says the
 * process runs under that provider: any other variable never reaches a report, which
 * keeps reports byte-identical across machines and shells.
 */
export interface CiContext {
  /** The CI system: github-actions, gitlab-ci, buildkite, circleci, azure-pipelines, jenkins, bitbucket-pipelines. */
  provider: string;
  /** The commit the pipeline checked out. */
  commit?: string;
  /** The pipeline run (workflow run, pipeline, build) id. */
  runId?: string;
  /** Who triggered the run. */
  actor?: string;
  /** The repository, as the provider names it. */
  repository?: string;
  /** The branch or ref built. */
  ref?: string;
  /** A link to the run, when the provider gives one. */
  runUrl?: string;
}

type Field = Exclude<keyof CiContext, 'provider'>;

interface Provider {
  name: string;
  /** True when this provider runs the process. */
  detect(env: NodeJS.ProcessEnv): boolean;
  /** Each field's variable names, first non-empty wins. */
  fields: Partial<Record<Field, string[]>>;
  /** A run link built from several variables, when no single one holds it. */
  runUrl?(env: NodeJS.ProcessEnv): string | undefined;
}

const PROVIDERS: Provider[] = [
  {
    name: 'github-actions',
    detect: (env) => env['GITHUB_ACTIONS'] === 'true',
    fields: {
      commit: ['GITHUB_SHA'],
      runId: ['GITHUB_RUN_ID'],
      actor: ['GITHUB_ACTOR'],
      repository: ['GITHUB_REPOSITORY'],
      ref: ['GITHUB_REF'],
    },
    runUrl: (env) => {
      const [server, repo, run] = [
        env['GITHUB_SERVER_URL'],
        env['GITHUB_REPOSITORY'],
        env['GITHUB_RUN_ID'],
      ];
      return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
    },
  },
  {
    name: 'gitlab-ci',
    detect: (env) => env['GITLAB_CI'] === 'true',
    fields: {
      commit: ['CI_COMMIT_SHA'],
      runId: ['CI_PIPELINE_ID'],
      actor: ['GITLAB_USER_LOGIN'],
      repository: ['CI_PROJECT_PATH'],
      ref: ['CI_COMMIT_REF_NAME'],
      runUrl: ['CI_PIPELINE_URL'],
    },
  },
  {
    name: 'buildkite',
    detect: (env) => env['BUILDKITE'] === 'true',
    fields: {
      commit: ['BUILDKITE_COMMIT'],
      runId: ['BUILDKITE_BUILD_ID'],
      actor: ['BUILDKITE_BUILD_CREATOR_EMAIL', 'BUILDKITE_BUILD_CREATOR'],
      repository: ['BUILDKITE_REPO'],
      ref: ['BUILDKITE_BRANCH'],
      runUrl: ['BUILDKITE_BUILD_URL'],
    },
  },
  {
    name: 'circleci',
    detect: (env) => env['CIRCLECI'] === 'true',
    fields: {
      commit: ['CIRCLE_SHA1'],
      runId: ['CIRCLE_WORKFLOW_ID', 'CIRCLE_BUILD_NUM'],
      actor: ['CIRCLE_USERNAME'],
      repository: ['CIRCLE_REPOSITORY_URL'],
      ref: ['CIRCLE_BRANCH', 'CIRCLE_TAG'],
      runUrl: ['CIRCLE_BUILD_URL'],
    },
  },
  {
    name: 'azure-pipelines',
    detect: (env) => (env['TF_BUILD'] ?? '').toLowerCase() === 'true',
    fields: {
      commit: ['BUILD_SOURCEVERSION'],
      runId: ['BUILD_BUILDID'],
      actor: ['BUILD_REQUESTEDFOREMAIL', 'BUILD_REQUESTEDFOR'],
      repository: ['BUILD_REPOSITORY_NAME'],
      ref: ['BUILD_SOURCEBRANCH'],
    },
  },
  {
    name: 'jenkins',
    detect: (env) => Boolean(env['JENKINS_URL']),
    fields: {
      commit: ['GIT_COMMIT'],
      runId: ['BUILD_TAG', 'BUILD_ID'],
      actor: ['BUILD_USER_ID'],
      repository: ['GIT_URL'],
      ref: ['GIT_BRANCH'],
      runUrl: ['BUILD_URL'],
    },
  },
  {
    name: 'bitbucket-pipelines',
    detect: (env) => Boolean(env['BITBUCKET_BUILD_NUMBER']),
    fields: {
      commit: ['BITBUCKET_COMMIT'],
      runId: ['BITBUCKET_PIPELINE_UUID', 'BITBUCKET_BUILD_NUMBER'],
      actor: ['BITBUCKET_STEP_TRIGGERER_UUID'],
      repository: ['BITBUCKET_REPO_FULL_NAME'],
      ref: ['BITBUCKET_BRANCH', 'BITBUCKET_TAG'],
    },
  },
];

/** The variables that say a CI provider is running: unset them to evaluate without a CI context. */
export const CI_MARKER_VARIABLES: readonly string[] = [
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'BUILDKITE',
  'CIRCLECI',
  'TF_BUILD',
  'JENKINS_URL',
  'BITBUCKET_BUILD_NUMBER',
];

/** A value is recorded as given, bounded: it comes from the environment, not from a trusted source. */
const MAX_VALUE = 512;

/** The CI context of a process environment, or undefined outside a known CI system. */
export function ciContext(env: NodeJS.ProcessEnv): CiContext | undefined {
  const provider = PROVIDERS.find((p) => p.detect(env));
  if (!provider) return undefined;
  const context: CiContext = { provider: provider.name };
  for (const [field, names] of Object.entries(provider.fields) as [Field, string[]][]) {
    const value = names.map((n) => clean(env[n])).find((v) => v !== undefined);
    if (value !== undefined) context[field] = value;
  }
  const url = provider.runUrl ? clean(provider.runUrl(env)) : undefined;
  if (url !== undefined && context.runUrl === undefined) context.runUrl = url;
  return context;
}

/** The environment without the CI marker variables: evaluations from it record no CI context. */
export function withoutCiContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of CI_MARKER_VARIABLES) delete copy[name];
  return copy;
}

function clean(value: string | undefined): string | undefined {
  // Control characters never belong in these values; a URL's user:password@ part
  // (Jenkins' GIT_URL may carry a token) must never reach a report.
  const text = value
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/(\/\/)[^/@\s]*@/g, '$1')
    .trim();
  return text ? text.slice(0, MAX_VALUE) : undefined;
}
