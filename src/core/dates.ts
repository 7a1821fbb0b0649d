import { CannotEvaluateError } from './errors.js';

/**
 * Dates as prodgate reads them: as-of days (YYYY-MM-DD, UTC) and the days that
 * artifacts' timestamps fall on. Bottom layer: imports no stage; never reads the clock
 * unless asked for today (todayUtc).
 */

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Checks an as-of date: a real calendar day written YYYY-MM-DD.
 * @throws CannotEvaluateError naming the option when it is not one.
 */
export function checkAsOf(asOf: string): void {
  // Date rolls 2026-02-30 over to March: require the date to survive the round trip.
  const date = new Date(`${asOf}T00:00:00Z`);
  if (
    !DATE.test(asOf) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== asOf
  ) {
    throw new CannotEvaluateError(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  }
}

/** Today in UTC, the default as-of date. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The UTC day of a timestamp an artifact carries: ISO 8601 with or without an offset
 * (no offset is read as UTC, as JUnit writers that omit it run in UTC on CI), or
 * milliseconds since the epoch (CTRF). Undefined when it is not one.
 */
export function utcDay(value: unknown): string | undefined {
  let date: Date;
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
  else if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())
  ) {
    const text = value.trim();
    const zoned = /T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
    date = new Date(zoned);
  } else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/** The later of two YYYY-MM-DD days (either may be absent). */
export function laterDay(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return b > a ? b : a;
}
