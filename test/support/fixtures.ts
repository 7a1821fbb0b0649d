// Small fixtures shared by the unit tests.
import { expect } from 'vitest';
import { SourceError } from '../../src/load/parsed-document.ts';
import type { GateMeta } from '../../src/pack/catalog.ts';

/** A gate of a synthetic catalog: per-environment rule texts name the gate and the environment. */
export function syntheticGate(
  id: string,
  options: { evidence?: string[]; parent?: string; nonWaivable?: string[] } = {},
): GateMeta {
  return {
    id,
    title: `Title of ${id}`,
    description: `Description of ${id}`,
    section: id.split('.')[0] ?? 'x',
    severity: 'high',
    ...(options.parent ? { parent: options.parent } : {}),
    evidence: options.evidence ?? ['alpha'],
    rules: { pilot: `${id} pilot rule`, staging: `${id} staging rule`, prod: `${id} prod rule` },
    remediation: `Fix ${id}`,
    ...(options.nonWaivable ? { nonWaivable: options.nonWaivable } : {}),
  };
}

/** The SourceError a parser throws; fails the test when it throws nothing or something else. */
export function sourceError(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(SourceError);
    return thrown as SourceError;
  }
  throw new Error('expected a SourceError, but nothing was thrown');
}
