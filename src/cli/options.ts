import { statSync } from 'node:fs';
import { access, constants, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CannotEvaluateError } from '../core/errors.js';
import { makeFolder } from '../core/io/output-set.js';
import { escapeTerminal } from '../core/text/escape.js';
import { checkAsOf, todayUtc } from '../core/dates.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS, parseLimit, type Limits } from '../core/limits.js';
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
export function environmentRuns(
  env: string,
  evidence: string | undefined,
  pack: LoadedPack,
): EnvironmentRun[] {
  const known = pack.manifest.environments;
  if (env === 'all')
    return known.map((e) => ({ env: e, evidenceDir: join(evidence ?? 'evidence', e) }));
  if (!known.includes(env))
    throw new CannotEvaluateError(
      `unknown environment "${env}"; use one of: ${[...known, 'all'].join(', ')}`,
    );
  return [{ env, evidenceDir: evidence ?? join('evidence', env) }];
}

/** Where `evaluate` writes when --out is not given: never the committed example outputs/. */
export const DEFAULT_OUT = 'prodgate-out';

/** `--env`, required by evaluate, validate and explain: the same one-line message as any other bad flag. */
export function requireEnv(env: string | undefined, pack: LoadedPack, allowAll = true): string {
  if (env) return env;
  const names = [...pack.manifest.environments, ...(allowAll ? ['all'] : [])];
  throw new CannotEvaluateError(
    `--env is required: use one of ${names.join(', ')} (e.g. --env ${pack.manifest.environments.at(-1) ?? 'prod'})`,
  );
}

/**
 * The repository that holds an evidence folder: the nearest folder at or above it with
 * a `.git` (a folder, or a file in a worktree or submodule), as `git rev-parse
 * --show-toplevel` finds it; the current folder when there is none. Links in evidence
 * are repository-relative, so they resolve here whatever folder prodgate runs from.
 */
export function repositoryRoot(evidenceDir: string): string {
  let dir = resolve(evidenceDir);
  for (;;) {
    try {
      statSync(join(dir, '.git'));
      return dir;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return process.cwd();
      dir = parent;
    }
  }
}

/** Checks that --out is (or can be made) a writable folder, before anything is evaluated. */
export async function checkOutDir(out: string): Promise<void> {
  try {
    const found = await stat(out).catch(() => undefined);
    if (found && !found.isDirectory()) throw new Error('it is a file, not a folder');
    if (!found) await makeFolder(out);
    await access(out, constants.W_OK);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `--out ${escapeTerminal(out)}: cannot write the outputs there: ${escapeTerminal(reasonOf(thrown))}`,
    );
  }
}

/** Removes files of an earlier run that no longer belong beside the new ones (an old attestation). */
export async function removeStale(out: string, names: string[]): Promise<void> {
  for (const name of names) await rm(join(out, name), { force: true });
}

/** A file-system error in words: the code's meaning, without the stack or the errno number. */
function reasonOf(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  const words: Record<string, string> = {
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EEXIST: 'a file is in the way of a folder',
    ENOTDIR: 'a file is in the way of a folder',
    ENOSPC: 'no space left on the device',
  };
  if (typeof code === 'string' && words[code]) return words[code];
  return thrown instanceof Error ? thrown.message : String(thrown);
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
    const option = new Option(`${limit.flag} <${limit.size ? 'bytes' : 'n'}>`, limit.description);
    if (limit.derivedDefault)
      option.description = `${limit.description} (default: ${limit.derivedDefault})`;
    else
      option.default(
        fallback,
        limit.size ? `${humanSize(fallback)} = ${fallback}` : String(fallback),
      );
    option.argParser((text: string) => {
      const value = parseLimit(text, limit.size);
      if (value === undefined)
        throw new InvalidArgumentError(
          limit.size
            ? 'expected a positive size such as 1048576, 512K or 2M'
            : 'expected a positive whole number',
        );
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
  for (const [unit, size] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
