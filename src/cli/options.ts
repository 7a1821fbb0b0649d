import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CannotEvaluateError } from '../errors.js';
import { checkAsOf, todayUtc } from '../engine.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS, parseLimit, type Limits } from '../limits/limits.js';
import type { LoadedPack } from '../pack/pack.js';

export interface EnvironmentRun {
  env: string;
  evidenceDir: string;
}

/**
 * Expands `--env` into the runs to make: one environment, or every environment of
 * the pack for `all`. `--evidence` names the bundle for one environment; with `all`
 * it names the folder holding one bundle per environment.
 */
export function environmentRuns(env: string, evidence: string | undefined, pack: LoadedPack): EnvironmentRun[] {
  const known = pack.manifest.environments;
  if (env === 'all') return known.map((e) => ({ env: e, evidenceDir: join(evidence ?? 'evidence', e) }));
  if (!known.includes(env)) throw new CannotEvaluateError(`unknown environment "${env}"; use one of: ${[...known, 'all'].join(', ')}`);
  return [{ env, evidenceDir: evidence ?? join('evidence', env) }];
}

export function asOfOption(value: string | undefined): string {
  const asOf = value ?? todayUtc();
  checkAsOf(asOf);
  return asOf;
}

/** `--max-file-size` and the other evidence bounds, with their defaults shown in --help. */
export function addLimitOptions(command: Command): Command {
  for (const limit of LIMIT_FLAGS) {
    const fallback = DEFAULT_LIMITS[limit.key];
    const option = new Option(`${limit.flag} <${limit.size ? 'bytes' : 'n'}>`, limit.description)
      .default(fallback, limit.size ? `${humanSize(fallback)} = ${fallback}` : String(fallback))
      .argParser((text: string) => {
        const value = parseLimit(text, limit.size);
        if (value === undefined) throw new InvalidArgumentError(limit.size ? 'expected a positive size such as 1048576, 512K or 2M' : 'expected a positive whole number');
        return value;
      });
    command.addOption(option);
  }
  return command;
}

/** The limits the flags set (commander names `--max-file-size` maxFileSize, and so on). */
export function limitsFrom(flags: object): Partial<Limits> {
  const values = flags as Record<string, unknown>;
  const limits: Partial<Limits> = {};
  for (const limit of LIMIT_FLAGS) {
    const value = values[new Option(limit.flag).attributeName()];
    if (typeof value === 'number') limits[limit.key] = value;
  }
  return limits;
}

function humanSize(bytes: number): string {
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
