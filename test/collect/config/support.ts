import type { ConfigFacts } from '../../../src/collect/config/config-facts.js';
import { collect, sample } from '../../support/collect.js';

/** The facts of one type read from a configuration text, or a thrown error with the problems. */
export function factsOf<T extends ConfigFacts['type']>(
  type: T,
  text: string,
  format?: string,
): Extract<ConfigFacts, { type: T }> {
  const result = collect(text, format);
  if (result.facts?.type !== type)
    throw new Error(`not ${type}: ${JSON.stringify(result.problems)}`);
  return result.facts as Extract<ConfigFacts, { type: T }>;
}

/** The single located problem of a text that must not be read. */
export function problemOf(text: string, format?: string) {
  const result = collect(text, format);
  if (result.facts !== undefined || result.problems.length === 0)
    throw new Error(`read without a problem: ${JSON.stringify(result.facts).slice(0, 200)}`);
  return result.problems[0] as NonNullable<(typeof result.problems)[0]>;
}

export { sample };
