/**
 * Where the `x-prodgate-link` keyword reports the link values it meets while a
 * validator runs. Validators are synchronous, so one slot per process is enough:
 * `collectingLinks` opens it around one validation and closes it after.
 *
 * The compiled validators (ajv standalone code in the pack's bundle) reach this
 * module as `require("prodgate:links")`; see standalone-validators.ts.
 */

/** The name by which compiled validator code requires this module. */
export const LINK_COLLECTOR_MODULE = 'prodgate:links';

/** A link value found while validating, at its JSON pointer. */
export interface FoundLink {
  pointer: string;
  value: string;
}

let collecting: FoundLink[] | undefined;

/** Called by the validator code for every string value its schema marks as a link. */
export function collectLink(pointer: string, value: string): void {
  collecting?.push({ pointer, value });
}

/** Runs one validation and returns its result with the links it met. */
export function collectingLinks<T>(validation: () => T): { result: T; links: FoundLink[] } {
  const links: FoundLink[] = [];
  const outer = collecting;
  collecting = links;
  try {
    return { result: validation(), links };
  } finally {
    collecting = outer;
  }
}
