import { Cron } from 'croner';
import type { ConfigProblem, Located } from '../migrations.js';
import { label, type Resource } from './resources.js';

/** One scheduled backup of the manifests, as the policy reads it. */
export interface ScheduledBackupFact extends Located {
  kind: string;
  name: string;
  /** What it backs up: the CloudNativePG cluster, or the Velero schedule's name and included namespaces (`*`: all). */
  targets: string[];
  schedule: string;
  /** The longest time between two runs, in minutes (absent when the schedule cannot be read). */
  intervalMinutes?: number;
  /** Paused (Velero) or suspended (CloudNativePG): it takes no backup. */
  suspended: boolean;
  /** It copies the data, not only the objects (Velero without volume snapshots or file-system backup does not). */
  dataIncluded: boolean;
  /** Why this backup does not count, each located (a schedule that cannot be read, no data copied, ...). */
  problems: ConfigProblem[];
}

export interface BackupsFinding {
  backups: ScheduledBackupFact[];
  /** Problems of the file as a whole (none today: each backup carries its own). */
  problems: ConfigProblem[];
}

/**
 * Velero `Schedule` (velero.io/v1: five-field cron or `@every`) and CloudNativePG
 * `ScheduledBackup` (postgresql.cnpg.io/v1: six-field cron with seconds) with their
 * intervals. The interval is the longest gap between consecutive runs, in UTC, found by
 * croner (MIT): over the first runs and across two years of day boundaries, so a
 * schedule that runs densely on some days and not at all on others shows its real gap.
 * A schedule that cannot be read is a located problem. A ScheduledBackup whose Cluster
 * is in the manifests must have backup configured there (a barman object store).
 */
export function backupsOf(resources: Resource[]): BackupsFinding {
  const backups: ScheduledBackupFact[] = [];
  for (const r of resources) {
    const problems: ConfigProblem[] = [];
    if (r.kind === 'Schedule' && r.apiVersion === 'velero.io/v1')
      backups.push({ ...velero(r, problems), problems });
    if (r.kind === 'ScheduledBackup' && r.apiVersion === 'postgresql.cnpg.io/v1')
      backups.push({ ...cnpg(r, resources, problems), problems });
  }
  return { backups, problems: [] };
}

function velero(r: Resource, problems: ConfigProblem[]): Omit<ScheduledBackupFact, 'problems'> {
  const spec = r.body['spec'] as {
    schedule: string;
    paused?: boolean;
    template?: {
      includedNamespaces?: string[];
      snapshotVolumes?: boolean;
      defaultVolumesToFsBackup?: boolean;
    };
  };
  const dataIncluded =
    spec.template?.snapshotVolumes !== false || spec.template?.defaultVolumesToFsBackup === true;
  if (!dataIncluded)
    problems.push({
      code: 'violation',
      message: `${label(r)} takes no volume snapshots and no file-system backup: it copies the objects, not the data`,
      ...r.at('/spec/template/snapshotVolumes'),
    });
  const fact = base(r, spec.schedule, 5, problems);
  return {
    ...fact,
    targets: [r.name, ...(spec.template?.includedNamespaces ?? ['*'])],
    suspended: spec.paused === true,
    dataIncluded,
  };
}

function cnpg(
  r: Resource,
  resources: Resource[],
  problems: ConfigProblem[],
): Omit<ScheduledBackupFact, 'problems'> {
  const spec = r.body['spec'] as {
    schedule: string;
    suspend?: boolean;
    method?: string;
    cluster: { name: string };
  };
  const cluster = resources.find(
    (c) =>
      c.kind === 'Cluster' &&
      c.apiVersion === 'postgresql.cnpg.io/v1' &&
      c.name === spec.cluster.name &&
      c.namespace === r.namespace,
  );
  const method = spec.method ?? 'barmanObjectStore';
  if (
    cluster &&
    method === 'barmanObjectStore' &&
    !(cluster.body['spec'] as { backup?: unknown } | undefined)?.backup
  )
    problems.push({
      code: 'violation',
      message: `${label(r)} backs up Cluster ${spec.cluster.name} with a barman object store, but that Cluster configures no backup (spec.backup)`,
      ...cluster.at('/spec'),
    });
  return {
    ...base(r, spec.schedule, 6, problems),
    targets: [spec.cluster.name],
    suspended: spec.suspend === true,
    dataIncluded: true,
  };
}

function base(r: Resource, schedule: string, fields: 5 | 6, problems: ConfigProblem[]) {
  const at = r.at('/spec/schedule');
  const fact = { kind: r.kind, name: r.name, schedule, line: at.line, column: at.column };
  const interval = cronInterval(schedule, fields);
  if (typeof interval === 'string') {
    problems.push({
      code: 'violation',
      message: `${label(r)}: schedule ${JSON.stringify(schedule)} ${interval}`,
      ...at,
    });
    return fact;
  }
  return { ...fact, intervalMinutes: interval };
}

/** Fixed start of the runs examined: the interval is a property of the schedule, not of the day it is read. */
const FROM = new Date(Date.UTC(2025, 0, 1));
const FIRST_RUNS = 2000;
const DAYS = 800;
const MINUTE = 60_000;

/**
 * The longest gap between two runs of a cron schedule, in whole minutes (rounded up),
 * or why it cannot be read. `fields` is what the operator's cron takes: 5 (Velero,
 * robfig/cron standard) or 6 with seconds first (CloudNativePG). `@every 1h30m` and the
 * `@hourly`-style descriptors are read too.
 */
export function cronInterval(schedule: string, fields: 5 | 6): number | string {
  const text = schedule.trim();
  const every = /^@every\s+((?:\d+h)?(?:\d+m)?(?:\d+s)?)$/.exec(text);
  if (every?.[1]) {
    const [, h = '0', m = '0', s = '0'] =
      /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(every[1]) ?? [];
    const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
    return seconds > 0 ? Math.ceil(seconds / 60) : 'is not a positive @every interval';
  }
  if (!text.startsWith('@') && text.split(/\s+/).length !== fields)
    return `is not a ${fields}-field cron expression${fields === 6 ? ' (seconds first, as CloudNativePG reads it)' : ''}`;
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone: 'UTC', paused: true });
  } catch (thrown) {
    return `cannot be read as cron: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
  }
  let longest = 0;
  let previous: Date | null = null;
  let at: Date | null = FROM;
  for (let i = 0; i < FIRST_RUNS && at; i++) {
    at = cron.nextRun(at);
    if (at && previous) longest = Math.max(longest, at.getTime() - previous.getTime());
    if (at) previous = at;
  }
  // Gaps that span a day boundary, over two years: the run before and the run after each midnight.
  for (let d = 0; d < DAYS; d++) {
    const midnight = new Date(FROM.getTime() + d * 86_400_000);
    // The last run at or before midnight and the first after it are consecutive runs.
    const after = cron.nextRun(midnight);
    const before = cron.previousRuns(1, new Date(midnight.getTime() + 1000))[0];
    if (!after) return 'stops running: it takes no backup after some day';
    if (before) longest = Math.max(longest, after.getTime() - before.getTime());
  }
  if (longest === 0) return 'runs less than twice in two years';
  return Math.ceil(longest / MINUTE);
}
