import { join } from 'node:path';
import { CannotEvaluateError } from '../errors.js';
import { checkAsOf, todayUtc } from '../engine.js';
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
