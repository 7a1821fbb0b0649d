import type { Finding } from './finding.js';

/**
 * The one result shape of an operation (validate, lint, test, verify): whether it passed
 * and what it found. Operations add what only they produce (versions run, the checks made)
 * beside these two fields; a problem that stops the operation from running at all is
 * thrown (CannotEvaluateError), never returned.
 */
export interface Result<Code extends string = string> {
  /** True when nothing blocks: no error finding (each operation documents its rule). */
  ok: boolean;
  findings: Finding<Code>[];
}

/** A result from findings: ok when none is an error. */
export function resultOf<Code extends string>(findings: Finding<Code>[]): Result<Code> {
  return { ok: findings.every((f) => f.severity !== 'error'), findings };
}
