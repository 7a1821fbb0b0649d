import { CannotEvaluateError } from '../core/errors.js';
import { DEFAULT_LIMITS, defaultMaxNodes, limitProblems, type Limits } from '../core/limits.js';

/**
 * The limits of an evaluation: the defaults (core/limits.ts), overridden field by field;
 * `maxNodes`, when not given, grows with the file size limit.
 * @throws CannotEvaluateError naming every invalid limit.
 */
export function resolveLimits(limits: Partial<Limits> = {}): Limits {
  const resolved: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  if (limits.maxNodes === undefined) resolved.maxNodes = defaultMaxNodes(resolved.maxFileBytes);
  const problems = limitProblems(resolved);
  if (problems.length) throw new CannotEvaluateError(problems.join('; '));
  return resolved;
}
