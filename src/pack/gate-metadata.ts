import { type Finding, finding } from '../core/finding.js';
import type { GateMeta } from './catalog.js';
import { gateIdProblem, impliedParent, sectionOf, SEVERITIES } from './gate-ids.js';
import { runOpa } from './opa-cli.js';

/** A METADATA problem: an error finding at the block's file and line when it has them. */
const metadataProblem = (
  message: string,
  at: { file?: string; line?: number } = {},
): Finding<'metadata'> => finding({ severity: 'error', code: 'metadata', message, ...at });

interface Annotation {
  annotations?: {
    scope?: string;
    title?: string;
    description?: string;
    custom?: Record<string, unknown>;
  };
  location?: { file?: string; row?: number };
  path?: { type?: string; value?: unknown }[];
}

/**
 * Reads every gate's METADATA with `opa inspect -a` (run from the pack root, so that
 * file names are pack-relative) and checks it: the required fields, the id's shape,
 * section and parent, a rule text for every environment, and that the block sits on
 * the `gates["<id>"]` rule it names. Returns the usable gates and the problems.
 */
export async function inspectGates(
  packRoot: string,
  environments: string[],
): Promise<{
  gates: GateMeta[];
  problems: Finding<'metadata'>[];
  annotated: Map<string, { file?: string; line?: number }>;
}> {
  const out = await runOpa(['inspect', '--annotations', '--format', 'json', 'policies'], packRoot);
  const annotations = (JSON.parse(out) as { annotations?: Annotation[] }).annotations ?? [];
  const gates: GateMeta[] = [];
  const problems: Finding<'metadata'>[] = [];
  // Every id a METADATA block claims, usable or not, with where the block's rule is.
  const annotated = new Map<string, { file?: string; line?: number }>();
  for (const a of annotations) {
    const custom = a.annotations?.custom;
    if (!custom || !('id' in custom)) continue;
    const at = {
      ...(a.location?.file ? { file: a.location.file } : {}),
      ...(a.location?.row ? { line: a.location.row } : {}),
    };
    if (typeof custom['id'] === 'string') annotated.set(custom['id'], at);
    const found = checkAnnotation(a, custom, environments);
    problems.push(...found.problems.map((message) => metadataProblem(message, at)));
    if (found.gate) gates.push(found.gate);
  }
  const ids = new Set(gates.map((g) => g.id));
  const seen = new Set<string>();
  for (const g of gates) {
    if (seen.has(g.id))
      problems.push(metadataProblem(`gate ${g.id} has more than one METADATA block`));
    seen.add(g.id);
    if (g.parent && !ids.has(g.parent))
      problems.push(metadataProblem(`gate ${g.id} names parent ${g.parent}, which is not a gate`));
  }
  return {
    gates: gates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    problems,
    annotated,
  };
}

function checkAnnotation(
  a: Annotation,
  custom: Record<string, unknown>,
  environments: string[],
): { gate?: GateMeta; problems: string[] } {
  const id = custom['id'];
  if (typeof id !== 'string') return { problems: ['METADATA custom.id must be a string'] };
  const problems: string[] = [];
  const missing = ['title', 'description'].filter((k) => !nonEmpty(a.annotations?.[k as 'title']));
  missing.push(...['section', 'severity', 'remediation'].filter((k) => !nonEmpty(custom[k])));
  const evidence = custom['evidence'];
  if (!Array.isArray(evidence) || evidence.length === 0 || evidence.some((k) => !nonEmpty(k)))
    missing.push('evidence (the kinds it reads)');
  const rules = custom['rules'];
  const rulesOk = !!rules && typeof rules === 'object' && !Array.isArray(rules);
  if (!rulesOk) missing.push('rules (one per environment)');
  if (missing.length) problems.push(`gate ${id} METADATA lacks ${missing.join(', ')}`);

  const idProblem = gateIdProblem(id);
  if (idProblem) problems.push(idProblem);
  const section = custom['section'];
  if (typeof section === 'string' && section !== sectionOf(id))
    problems.push(`gate ${id} has section ${section}, but its id starts with ${sectionOf(id)}`);
  const severity = custom['severity'];
  if (typeof severity === 'string' && !(SEVERITIES as readonly string[]).includes(severity)) {
    problems.push(`gate ${id} has severity ${severity}; use one of ${SEVERITIES.join(', ')}`);
  }
  const parent = custom['parent'];
  const implied = impliedParent(id);
  if (parent !== undefined && parent !== implied) {
    problems.push(
      implied
        ? `gate ${id} must have parent ${implied}, not ${String(parent)}`
        : `gate ${id} is not a child id (section.name.child) and cannot have a parent`,
    );
  } else if (implied && parent === undefined) {
    problems.push(`gate ${id} is a child id: its METADATA needs parent: ${implied}`);
  }
  if (rulesOk) problems.push(...ruleProblems(id, rules as Record<string, unknown>, environments));
  const nonWaivable = custom['non_waivable'];
  if (
    nonWaivable !== undefined &&
    (!Array.isArray(nonWaivable) || nonWaivable.some((e) => !environments.includes(String(e))))
  ) {
    problems.push(`gate ${id} non_waivable must list environments of pack.json`);
  }
  const recorded = custom['recorded'];
  problems.push(...recordedProblems(id, recorded, environments));
  const path = (a.path ?? []).map((p) => p.value);
  if (path.at(-1) !== id || path.at(-2) !== 'gates') {
    problems.push(
      `the METADATA of gate ${id} is not on a gates["${id}"] rule (it annotates ${path.slice(1).map(String).join('.') || 'something else'})`,
    );
  }
  if (problems.length) return { problems };
  return {
    problems,
    gate: {
      id,
      title: a.annotations?.title ?? '',
      description: (a.annotations?.description ?? '').trim(),
      section: section as string,
      severity: severity as string,
      ...(typeof parent === 'string' ? { parent } : {}),
      evidence: (evidence as unknown[]).map(String),
      rules: rulesPerEnvironment(rules as Record<string, unknown>, environments),
      remediation: custom['remediation'] as string,
      ...(Array.isArray(nonWaivable) ? { nonWaivable: nonWaivable.map(String) } : {}),
      ...(recorded !== undefined ? { recorded: recorded as Record<string, string[]> } : {}),
    },
  };
}

/**
 * The key of METADATA `rules` whose text applies to every environment the block does not
 * name: a rule that is the same everywhere is written once, and an environment that differs
 * names its own (`default: ...` and `prod: ...`).
 */
export const DEFAULT_RULE_KEY = 'default';

/** In a rule's words, the name of the environment it is read for. */
export const ENV_TOKEN = '{env}';

/**
 * Every environment has a rule in words, its own or the default; keys are environments of
 * pack.json or `default`; an environment's own rule that repeats the default is refused, so
 * that each rule text is written once.
 */
function ruleProblems(
  id: string,
  given: Record<string, unknown>,
  environments: string[],
): string[] {
  const problems: string[] = [];
  const fallback = given[DEFAULT_RULE_KEY];
  const lacking = environments.filter((env) => !nonEmpty(given[env]) && !nonEmpty(fallback));
  const extra = Object.keys(given).filter(
    (key) => key !== DEFAULT_RULE_KEY && !environments.includes(key),
  );
  if (lacking.length)
    problems.push(
      `gate ${id} METADATA rules lack ${lacking.join(', ')} (every environment of pack.json needs its rule in words, or a ${DEFAULT_RULE_KEY} rule)`,
    );
  if (extra.length)
    problems.push(
      `gate ${id} METADATA rules name ${extra.join(', ')}, which pack.json does not list`,
    );
  if (fallback !== undefined && !nonEmpty(fallback))
    problems.push(`gate ${id} METADATA rules.${DEFAULT_RULE_KEY} is empty`);
  const repeated = environments.filter(
    (env) => nonEmpty(given[env]) && nonEmpty(fallback) && given[env].trim() === fallback.trim(),
  );
  if (repeated.length)
    problems.push(
      `gate ${id} METADATA rules for ${repeated.join(', ')} repeat the ${DEFAULT_RULE_KEY} rule: leave them out`,
    );
  return problems;
}

/**
 * The rule in words for each environment of pack.json, its own else the default, keyed in
 * code-point order (as `opa inspect` gives a map, which the manifest and SARIF list in order).
 * `{env}` in a rule stands for the environment it is read for, so a rule that differs only
 * by the environment's name (`environment equal to {env}`) is written once too.
 */
function rulesPerEnvironment(
  given: Record<string, unknown>,
  environments: string[],
): Record<string, string> {
  const text = (key: string): string | undefined =>
    nonEmpty(given[key]) ? String(given[key]).trim() : undefined;
  return Object.fromEntries(
    [...environments]
      .sort()
      .map((env) => [env, (text(env) ?? text(DEFAULT_RULE_KEY) ?? '').replaceAll(ENV_TOKEN, env)]),
  );
}

/** `recorded` maps environments of pack.json to lists of `kind:/pointer` facts. */
function recordedProblems(id: string, recorded: unknown, environments: string[]): string[] {
  if (recorded === undefined) return [];
  if (!recorded || typeof recorded !== 'object' || Array.isArray(recorded))
    return [`gate ${id} recorded must map environments to lists of kind:/pointer facts`];
  const problems: string[] = [];
  for (const [env, facts] of Object.entries(recorded as Record<string, unknown>)) {
    if (!environments.includes(env))
      problems.push(`gate ${id} recorded names ${env}, which pack.json does not list`);
    if (
      !Array.isArray(facts) ||
      facts.some((f) => typeof f !== 'string' || !/^[a-z][a-z0-9-]*:(\/[^/]+)+$/.test(f))
    ) {
      problems.push(
        `gate ${id} recorded.${env} must list facts as kind:/pointer (a * token for every item of a list)`,
      );
    }
  }
  return problems;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}
