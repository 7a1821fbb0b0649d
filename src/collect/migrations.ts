/**
 * What a deployment configuration says about database migrations, in one shape for
 * every format that can run them (a GitHub Actions job, a Helm hook Job, an Argo CD
 * PreSync hook): the migrations job, whether deploy waits for it, whether two runs can
 * overlap, and the located problems that explain a false.
 */

/** A place in the configuration file (1-based). */
export interface Located {
  line: number;
  column: number;
}

/** A reason a configuration does not prove a fact: missing (nothing to judge) or a violation. */
export interface ConfigProblem extends Located {
  code: 'missing-evidence' | 'violation';
  message: string;
}

export interface MigrationsFinding {
  /** The job that runs migrations; absent when none is found. */
  job?: Located & { id: string; via: string };
  /** Every deploy waits for the migrations job to succeed. */
  runsBeforeDeploy: boolean;
  /** Two runs of the migrations job cannot overlap, and one is never cut off midway. */
  serialized: boolean;
  concurrency?: Located & {
    group: string;
    cancelInProgress: boolean | string;
    level: 'job' | 'workflow';
  };
  deployJobs: (Located & { id: string; after: boolean })[];
  problems: ConfigProblem[];
}

/** What marks a job as the one that runs migrations (its id, name, image args, steps). */
export const migrationsPattern = /migrat/i;
