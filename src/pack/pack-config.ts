import { escapeTerminal } from '../core/text/escape.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { packOptionsProblems, type PackOptions } from './pack-options.js';

/** pack.json: what a pack is called, its version, for which environments, its entrypoint and trust options. */
export interface PackConfig extends PackOptions {
  name: string;
  version: string;
  description?: string;
  environments: string[];
  /** The rule every evaluation queries, as a path: `prodgate/decision`. */
  entrypoint: string;
}

export const PACK_FILE = 'pack.json';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * An environment name: lowercase letters, digits and hyphens, starting with a letter,
 * at most 63 characters. It names output files (`P4_..._<env>.md`) and evidence
 * folders (`evidence/<env>`), so it must be one plain path segment: never `..`, a
 * separator, a control character or an empty name. Checked wherever a name comes from a
 * file (pack.json, the bundle manifest, a report read back by verify or diff).
 */
export function isEnvironmentName(value: unknown): value is string {
  return typeof value === 'string' && ENVIRONMENT.test(value);
}
const ENTRYPOINT = /^[a-z_][a-z0-9_]*(?:\/[a-z_][a-z0-9_]*)+$/;
const KEYS = new Set([
  'name',
  'version',
  'description',
  'environments',
  'entrypoint',
  'waivers',
  'signoffs',
  'evidenceKinds',
]);

/** The problems of an untrusted pack.json (empty when usable); unknown keys are typos until proven otherwise. */
export function packConfigProblems(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['must be a JSON object'];
  const c = value as Record<string, unknown>;
  const problems = Object.keys(c)
    .filter((k) => !KEYS.has(k))
    .map((k) => `unknown key "${escapeTerminal(k)}" (known: ${[...KEYS].join(', ')})`);
  if (typeof c['name'] !== 'string' || !NAME.test(c['name']))
    problems.push('name must be lowercase letters, digits and hyphens');
  if (typeof c['version'] !== 'string' || !VERSION.test(c['version']))
    problems.push('version must be a semantic version (1.0.0)');
  if (c['description'] !== undefined && typeof c['description'] !== 'string')
    problems.push('description must be a string');
  const envs = c['environments'];
  if (!Array.isArray(envs) || envs.length === 0 || envs.some((e) => !isEnvironmentName(e))) {
    problems.push('environments must be a non-empty list of lowercase names');
  } else {
    if (new Set(envs).size !== envs.length) problems.push('environments must not repeat a name');
    // `--env all` means every environment of the pack, so no environment may be called that.
    if (envs.includes('all'))
      problems.push('"all" is reserved (--env all) and cannot name an environment');
    problems.push(...packOptionsProblems(c, envs as string[]));
  }
  if (typeof c['entrypoint'] !== 'string' || !ENTRYPOINT.test(c['entrypoint']))
    problems.push('entrypoint must be a rule path such as prodgate/decision');
  return problems;
}

/** Reads and checks a pack's pack.json; anything unusable stops the command (exit 2). */
export async function readPackConfig(root: string): Promise<PackConfig> {
  const path = join(root, PACK_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (thrown) {
    throw new CannotEvaluateError(`pack manifest ${path} cannot be read: ${messageOf(thrown)}`);
  }
  const problems = packConfigProblems(value);
  if (problems.length)
    throw new CannotEvaluateError(`pack manifest ${path} is invalid: ${problems.join('; ')}`);
  return value as PackConfig;
}

/**
 * The Rego package under which every checklist section lives (`checklist.<section>`, each
 * with a `gates` object): the entrypoint collects `data.checklist`, so adding a section
 * needs no edit of it (policies/decision.rego).
 */
export const SECTIONS_PACKAGE = 'checklist';

/** The Rego package path holding the entrypoint rule: `prodgate/decision` -> `prodgate`. */
export function entrypointPackage(entrypoint: string): string {
  return entrypoint.split('/').slice(0, -1).join('.');
}
